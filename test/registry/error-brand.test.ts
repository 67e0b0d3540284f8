import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  hasCode,
  InternalError,
  isStatekeepError,
  NotFoundError,
  UserCodeError,
} from '../../src/registry/errors/index.js';
import { Registry } from '../../src/registry/registry.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import { errorLines, statekeepInProcess } from '../cli/helpers.js';
import { sandbox, write } from '../platform/helpers.js';

const FOREIGN_URL = new URL('./fixtures/foreign-provider.js', import.meta.url);
const FOREIGN = fileURLToPath(FOREIGN_URL);
type ForeignErrorClass = new (data: Record<string, unknown>, hint: string) => Error;
// Plain JavaScript, as a third party would ship it.
const {
  default: ForeignProvider,
  ForeignAlreadyExistsError,
  ForeignNotFoundError,
} = (await import(FOREIGN_URL.href)) as {
  default: ProviderClass;
  ForeignAlreadyExistsError: ForeignErrorClass;
  ForeignNotFoundError: ForeignErrorClass;
};

function foreignRegistry(): Registry {
  return new Registry(new ForeignProvider({}, { instance: 'foreign', errors: {} as never }));
}

describe('statekeep errors are recognised by brand and code, not by class', () => {
  it('isStatekeepError and hasCode accept any copy that carries the brand and a known code', () => {
    const own = new NotFoundError({ what: 'release', project: 'p' }, 'hint');
    const foreign = new ForeignNotFoundError({ what: 'release', project: 'p' }, 'hint');
    expect(foreign).not.toBeInstanceOf(NotFoundError);
    for (const error of [own, foreign]) {
      expect(isStatekeepError(error)).toBe(true);
      expect(hasCode(error, 'NOT_FOUND')).toBe(true);
      expect(hasCode(error, 'ALREADY_EXISTS')).toBe(false);
    }
    expect(hasCode(new ForeignAlreadyExistsError({ what: 'release' }, 'hint'), 'ALREADY_EXISTS')).toBe(true);
    // Without the brand, or with a code statekeep does not have, it is not a statekeep error.
    const unbranded = Object.assign(new Error('x'), { code: 'NOT_FOUND', hint: 'h', data: {} });
    const unknownCode = Object.assign(new ForeignNotFoundError({ what: 'x' }, 'h'), { code: 'ENOENT' });
    for (const error of [unbranded, unknownCode, null, 'NOT_FOUND', { code: 'NOT_FOUND' }])
      expect(isStatekeepError(error)).toBe(false);
  });

  it('INTERNAL and USER_CODE are codes of their own', () => {
    expect(new InternalError(new RangeError('boom'))).toMatchObject({
      code: 'INTERNAL',
      message: 'internal error: boom',
    });
    const user = new UserCodeError({ step: 'train', actor: 'model', detail: 'boom' });
    expect(user).toMatchObject({ code: 'USER_CODE', message: 'actor "model" train() threw: boom' });
    expect(isStatekeepError(user)).toBe(true);
    const onImport = new UserCodeError({
      step: 'import',
      module: 'index.mjs',
      project: 'iris',
      release: '1.0.0',
      detail: 'x',
    });
    expect(onImport.message).toBe('the project module index.mjs of iris 1.0.0 threw on import: x');
    const score = new UserCodeError({ step: 'score', metric: 'accuracy', detail: 'x' });
    expect(score.message).toBe('metric "accuracy" score() threw: x');
  });

  it("the Registry reads a foreign provider's missing items as missing", async () => {
    const registry = foreignRegistry();
    await registry.publishRelease('p', '1.0.0', { payload: new Uint8Array([1]) });
    const missingRelease = await registry.release('p', '2.0.0').catch((e: unknown) => e);
    expect(missingRelease).toBeInstanceOf(NotFoundError);
    expect(missingRelease).toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'release', project: 'p', release: '2.0.0' },
    });
    await expect(registry.manifest('p', '1.0.0', 1)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation', generation: 1 },
    });
    await expect(registry.release('q', '1.0.0')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'project' },
    });
  });

  it('the CLI reports them by their code and exit status, not as INTERNAL', async () => {
    const box = sandbox();
    write(
      path.join(box.cwd, 'platform.yaml'),
      `registry:\n  default: far\n  instances:\n    far: { provider: ${JSON.stringify(FOREIGN)} }\n`,
    );
    const outcome = await statekeepInProcess(['show', 'iris', '1.0.0'], box);
    expect(outcome.code).toBe(1);
    expect(errorLines(outcome.stderr).message).toBe('project not found: iris');
    const json = await statekeepInProcess(['show', 'iris', '1.0.0', '--json'], box);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'project' } });
  });
});
