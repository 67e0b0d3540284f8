import { describe, expect, it } from 'vitest';
import { checkTags, isLoggableKey, LIMITS, nameEquals, tagEquals } from '../../../src/providers/mlflow/limits.js';
import { artifactPath } from '../../../src/providers/mlflow/naming.js';

describe('mlflow filters and limits', () => {
  it('quotes searched values in single quotes and refuses any value a quote could break out of', () => {
    expect(tagEquals('statekeep.project', 'iris-2.v1_x')).toBe("tags.`statekeep.project` = 'iris-2.v1_x'");
    expect(nameEquals('ns~p~1.0.0-rc.1+build.7')).toBe("name = 'ns~p~1.0.0-rc.1+build.7'");
    for (const value of ["it's", 'say "x"', 'back`tick', 'slash\\', 'line\nbreak', 'nul\u0000']) {
      expect(() => tagEquals('statekeep.project', value)).toThrow(expect.objectContaining({ code: 'PROVIDER' }));
      expect(() => nameEquals(value)).toThrow(expect.objectContaining({ code: 'PROVIDER' }));
    }
    expect(() => tagEquals('key`', 'v')).toThrow(expect.objectContaining({ code: 'PROVIDER' }));
  });

  it('refuses a tag the server would cut short or reject, before sending it', () => {
    const fits = { key: 'k'.repeat(LIMITS.tagKey), value: 'v'.repeat(LIMITS.registryTagValue) };
    expect(checkTags([fits], LIMITS.registryTagValue, 'tag')).toEqual([fits]);
    expect(() =>
      checkTags(
        [{ key: 'k', value: 'v'.repeat(LIMITS.registryTagValue + 1) }],
        LIMITS.registryTagValue,
        'tag a model version',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'PROVIDER',
        data: expect.objectContaining({ operation: 'tag a model version' }),
      }),
    );
    expect(() => checkTags([{ key: 'k'.repeat(LIMITS.tagKey + 1), value: 'v' }], LIMITS.runTagValue, 'tag')).toThrow(
      expect.objectContaining({ code: 'PROVIDER' }),
    );
  });

  it('logs only metric keys MLflow accepts', () => {
    for (const key of ['accuracy', 'val/loss', 'f1 score', 'top-1.acc', 'a:b']) expect(isLoggableKey(key)).toBe(true);
    for (const key of ['top@1', '/abs', 'a//b', '../up', 'a/./b', '', 'x'.repeat(251), 'ünï'])
      expect(isLoggableKey(key)).toBe(false);
  });

  it('reaches artifacts only through the mlflow-artifacts proxy', () => {
    expect(artifactPath('mlflow-artifacts:/3')).toBe('3');
    expect(artifactPath('mlflow-artifacts:/3/abc/artifacts/')).toBe('3/abc/artifacts');
    expect(artifactPath('mlflow-artifacts://host:5000/3/abc/artifacts')).toBe('3/abc/artifacts');
    for (const uri of ['s3://bucket/3', 'file:///tmp/mlruns/3', '/tmp/mlruns/3', 'mlflow-artifacts:/3/../4']) {
      expect(() => artifactPath(uri)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    }
  });
});
