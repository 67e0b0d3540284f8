import type { Container, ServiceIdentifier } from 'inversify';
import type { ContainerOverrides } from '../platform/container.js';
import type { Env } from '../platform/interpolate.js';
import type { PlatformConfig } from '../platform/platform-config.js';
import type { RegistryCatalog } from '../platform/registry-catalog.js';
import { scrub, secretValues } from '../platform/secrets.js';
import type { Registry } from '../registry/registry.js';
import { TOKENS } from '../platform/tokens.js';
import { colorEnabled, Output, type TextStream } from './output.js';
import { StatusLine } from './status-line.js';

/** The process around the CLI; tests pass their own. */
export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  env: Env;
  cwd: string;
  home: string;
}

export interface GlobalOptions {
  platform?: string | undefined;
  registry?: string | undefined;
  json: boolean;
  debug: boolean;
}

/**
 * What every verb gets: the global options, output for people or JSON, and the wired container.
 * The platform is loaded, and the container built, on first request; verbs never wire anything.
 */
export class VerbContext {
  readonly options: GlobalOptions;
  /** Results: tables for people, or JSON with --json. */
  readonly out: Output;
  /** Notes, progress and errors. */
  readonly err: Output;
  readonly #io: CliIo;
  readonly #overrides: ContainerOverrides;
  #platform: Promise<PlatformConfig> | undefined;
  #loaded: PlatformConfig | undefined;
  /** The platform's secrets, also as JSON spells them, masked in everything written. */
  #masks: string[] = [];
  #container: Container | undefined;

  constructor(options: GlobalOptions, io: CliIo, overrides: ContainerOverrides = {}) {
    this.options = options;
    this.#io = io;
    this.#overrides = overrides;
    this.out = new Output(this.#masked(io.stdout), colorEnabled(io.stdout, io.env, options.json));
    this.err = new Output(this.#masked(io.stderr), colorEnabled(io.stderr, io.env, options.json));
  }

  get json(): boolean {
    return this.options.json;
  }

  // The platform modules (YAML, JSON Schema, inversify) load with the first verb that needs
  // them, so that --help and usage errors stay quick.
  platform(): Promise<PlatformConfig> {
    this.#platform ??= import('../platform/load-platform.js')
      .then(({ loadPlatform }) =>
        loadPlatform({
          platformFile: this.options.platform,
          registry: this.options.registry,
          cwd: this.#io.cwd,
          env: this.#io.env,
          home: this.#io.home,
        }),
      )
      .then((platform) => {
        // Worked out once, not on every write (verify writes a line per finding).
        this.#masks = secretValues(platform).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
        this.#loaded = platform;
        return platform;
      });
    return this.#platform;
  }

  async container(): Promise<Container> {
    const platform = await this.platform();
    const { createContainer } = await import('../platform/container.js');
    this.#container ??= createContainer(platform, this.#overrides);
    return this.#container;
  }

  /** Anything bound in the container, e.g. ctx.resolve<Runtime>(TOKENS.Runtime). */
  async resolve<T>(token: ServiceIdentifier<T>): Promise<T> {
    return (await this.container()).getAsync<T>(token);
  }

  /** The registry instance in use: registry.default, or --registry. */
  registry(): Promise<Registry> {
    return this.resolve<Registry>(TOKENS.Registry);
  }

  /**
   * A status line on stderr for long work. Silent unless both streams are a terminal and --json
   * is off: with stdout redirected, the run is a script's, and its log needs no \r repaints.
   */
  progress(): StatusLine {
    return new StatusLine(
      this.#io.stderr,
      this.#io.stdout.isTTY === true && this.#io.stderr.isTTY === true && !this.options.json,
    );
  }

  /** Secret values of the platform, once loaded, so that no message shows them. */
  secrets(): string[] {
    return this.#loaded === undefined ? [] : secretValues(this.#loaded);
  }

  // Whatever a verb prints passes through here, as CI systems mask their logs: a secret's value
  // is masked wherever it appears.
  #masked(stream: TextStream): TextStream {
    return {
      write: (text: string) => stream.write(scrub(text, this.#masks)),
      ...(stream.isTTY !== undefined && { isTTY: stream.isTTY }),
    };
  }

  /** Closes every registry instance that was opened. */
  async close(): Promise<void> {
    if (this.#container === undefined) return;
    await this.#container.get<RegistryCatalog>(TOKENS.Registries).close();
  }
}
