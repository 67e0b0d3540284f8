import { StatekeepError } from './statekeep-error.js';
import { where, type Location } from './where.js';

export interface AlreadyExistsData extends Location {
  [key: string]: unknown;
  what: 'release' | 'generation' | 'project' | 'file' | 'alias entry';
}

/** Something that is written once already exists; statekeep never overwrites it. */
export class AlreadyExistsError extends StatekeepError<AlreadyExistsData> {
  static readonly code = 'ALREADY_EXISTS' as const;
  readonly code = AlreadyExistsError.code;

  constructor(data: AlreadyExistsData, hint: string) {
    super(`${data.what} already exists: ${where(data)}`, hint, data);
  }
}
