import { StatekeepError } from './statekeep-error.js';

export interface ProviderData {
  [key: string]: unknown;
  provider: string;
  operation: string;
  detail: string;
  /** The operating system's error name (EROFS, ENOSPC …), when the backend is a file system. */
  errno?: string;
}

/** A registry backend failed in a way statekeep did not expect; the detail is the backend's own. */
export class ProviderError extends StatekeepError<ProviderData> {
  static readonly code = 'PROVIDER' as const;
  readonly code = ProviderError.code;

  constructor(data: ProviderData, hint: string, options?: { cause?: unknown }) {
    super(`${data.provider} registry failed to ${data.operation}: ${data.detail}`, hint, data, options);
  }
}
