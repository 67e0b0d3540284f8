import type { TextStream } from './output.js';

/**
 * One rewritable status line on stderr for long operations. It writes only to a terminal and
 * never in --json mode, so logs and pipes stay clean.
 */
export class StatusLine {
  readonly #stream: TextStream;
  readonly #enabled: boolean;
  #shown = false;

  constructor(stream: TextStream, enabled: boolean) {
    this.#stream = stream;
    this.#enabled = enabled;
  }

  update(text: string): void {
    if (!this.#enabled) return;
    this.#stream.write(`\r\x1b[2K${text}`);
    this.#shown = true;
  }

  done(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
