import { StatekeepError } from './statekeep-error.js';
import { quote } from './where.js';

export interface InvalidNameData {
  [key: string]: unknown;
  kind: string;
  name: string;
  rule: string;
}

/** A project, actor or instance name breaks the naming rule (which also keeps paths safe). */
export class InvalidNameError extends StatekeepError<InvalidNameData> {
  static readonly code = 'INVALID_NAME' as const;
  readonly code = InvalidNameError.code;

  constructor(data: InvalidNameData) {
    super(`invalid ${data.kind} name ${quote(data.name)}`, `use ${data.rule}`, data);
  }
}
