import { StatekeepError } from './statekeep-error.js';
import { where, type Location } from './where.js';

export type Missing =
  | 'project'
  | 'release'
  | 'generation'
  | 'state'
  | 'blob'
  | 'package'
  | 'file'
  | 'registry instance'
  | 'actor'
  | 'alias';

export interface NotFoundData extends Location {
  [key: string]: unknown;
  what: Missing;
  /** The missing thing's own name when it is not part of the location, e.g. a file path. */
  name?: string;
}

/** A project, release, generation, state or file that was asked for does not exist. */
export class NotFoundError extends StatekeepError<NotFoundData> {
  static readonly code = 'NOT_FOUND' as const;
  readonly code = NotFoundError.code;

  constructor(data: NotFoundData, hint: string, options?: { cause?: unknown }) {
    const at = where(data);
    const subject = data.name !== undefined ? `${data.what} ${data.name}` : data.what;
    super(`${subject} not found${at ? `: ${at}` : ''}`, hint, data, options);
  }
}
