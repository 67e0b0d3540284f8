import { StatekeepError } from './statekeep-error.js';

export interface InUseData {
  [key: string]: unknown;
  what: 'release';
  project: string;
  release: string;
  /** What holds on to it: "alias production (iris 1.0.0 #3)", "the project's newest release". */
  by: string;
}

/** Something cannot be removed while something else relies on it. Nothing changed. */
export class InUseError extends StatekeepError<InUseData> {
  static readonly code = 'IN_USE' as const;
  readonly code = InUseError.code;

  constructor(data: InUseData, hint: string) {
    super(`${data.what} ${data.project} ${data.release} is in use by ${data.by}; nothing removed`, hint, data);
  }
}
