import { StatekeepError } from './statekeep-error.js';

export interface ReleaseOrderData {
  [key: string]: unknown;
  project: string;
  version: string;
  latest: string;
}

/** A release must be newer, by semver, than every release the project already has. */
export class ReleaseOrderError extends StatekeepError<ReleaseOrderData> {
  static readonly code = 'RELEASE_ORDER' as const;
  readonly code = ReleaseOrderError.code;

  constructor(data: ReleaseOrderData) {
    super(
      `release ${data.version} of ${data.project} is not newer than its latest release ${data.latest}`,
      `set a version greater than ${data.latest} in package.json`,
      data,
    );
  }
}
