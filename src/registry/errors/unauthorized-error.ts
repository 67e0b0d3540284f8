import { StatekeepError } from './statekeep-error.js';

export interface UnauthorizedData {
  [key: string]: unknown;
  provider: string;
  target: string;
  status: number;
}

/** A registry backend refused the credentials it was given, or needs some. */
export class UnauthorizedError extends StatekeepError<UnauthorizedData> {
  static readonly code = 'UNAUTHORIZED' as const;
  readonly code = UnauthorizedError.code;

  constructor(data: UnauthorizedData, hint: string) {
    const what = data.status === 403 ? 'denied permission' : 'rejected the credentials';
    super(`${data.provider} registry at ${data.target} ${what} (HTTP ${data.status})`, hint, data);
  }
}
