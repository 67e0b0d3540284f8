import { StatekeepError } from './statekeep-error.js';

export interface UnauthorizedData {
  [key: string]: unknown;
  provider: string;
  target: string;
  /** The HTTP status, for backends spoken to over HTTP. */
  status?: number;
  /** The backend's reason in words (a database's "password authentication failed"), never a secret. */
  reason?: string;
}

/** A registry backend refused the credentials it was given, or needs some. */
export class UnauthorizedError extends StatekeepError<UnauthorizedData> {
  static readonly code = 'UNAUTHORIZED' as const;
  readonly code = UnauthorizedError.code;

  constructor(data: UnauthorizedData, hint: string) {
    const what = data.status === 403 ? 'denied permission' : 'rejected the credentials';
    const why = [data.status !== undefined ? `HTTP ${data.status}` : undefined, data.reason].filter(Boolean).join(': ');
    super(`${data.provider} registry at ${data.target} ${what}${why === '' ? '' : ` (${why})`}`, hint, data);
  }
}
