import { StatekeepError } from './statekeep-error.js';

export interface NotSerializableData {
  [key: string]: unknown;
  actor: string;
  /** Where inside the state, as a JSONPath-like string: `$.trees[3].split`. */
  path: string;
  reason: string;
}

/** An actor's state holds something the state codec cannot store faithfully. */
export class NotSerializableError extends StatekeepError<NotSerializableData> {
  static readonly code = 'NOT_SERIALIZABLE' as const;
  readonly code = NotSerializableError.code;

  constructor(data: NotSerializableData) {
    super(
      `state of actor ${JSON.stringify(data.actor)} cannot be stored: ${data.reason} at ${data.path}`,
      'make getState() return plain data: objects, arrays, numbers, strings, booleans, null, undefined, bigints, Dates, Maps, Sets, typed arrays',
      data,
    );
  }
}
