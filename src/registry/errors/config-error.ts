import { StatekeepError } from './statekeep-error.js';

export interface ConfigData {
  [key: string]: unknown;
  file?: string;
  line?: number;
  column?: number;
  key?: string;
  problem: string;
}

/** The platform configuration is malformed, or names something that does not exist. */
export class ConfigError extends StatekeepError<ConfigData> {
  static readonly code = 'CONFIG' as const;
  readonly code = ConfigError.code;

  constructor(data: ConfigData, hint: string, options?: { cause?: unknown }) {
    const place =
      data.file === undefined
        ? ''
        : `${data.file}${data.line !== undefined ? `:${data.line}:${data.column ?? 1}` : ''}: `;
    const key = data.key !== undefined ? `${data.key}: ` : '';
    super(`${place}${key}${data.problem}`, hint, data, options);
  }
}
