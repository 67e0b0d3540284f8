export {
  StatekeepError,
  isStatekeepError,
  hasCode,
  ERROR_CODES,
  STATEKEEP_ERROR,
  type ErrorCode,
  type ErrorData,
  type StatekeepErrorJSON,
} from './statekeep-error.js';
export { where, quote, type Location } from './where.js';
export { NotFoundError, type NotFoundData, type Missing } from './not-found-error.js';
export { AlreadyExistsError, type AlreadyExistsData } from './already-exists-error.js';
export { ReleaseOrderError, type ReleaseOrderData } from './release-order-error.js';
export { IntegrityError, type IntegrityData } from './integrity-error.js';
export { InvalidNameError, type InvalidNameData } from './invalid-name-error.js';
export { InvalidVersionError, type InvalidVersionData } from './invalid-version-error.js';
export { IncompatibleFormatError, type IncompatibleFormatData } from './incompatible-format-error.js';
export { NotSerializableError, type NotSerializableData } from './not-serializable-error.js';
export { BadDataError, type BadDataData } from './bad-data-error.js';
export { ConfigError, type ConfigData } from './config-error.js';
export { UsageError, type UsageData } from './usage-error.js';
export { UnavailableError, type UnavailableData } from './unavailable-error.js';
export { UnauthorizedError, type UnauthorizedData } from './unauthorized-error.js';
export { ProviderError, type ProviderData } from './provider-error.js';
export { UnsupportedError, type UnsupportedData } from './unsupported-error.js';
export { UserCodeError, type UserCodeData, type UserStep } from './user-code-error.js';
export { InternalError, type InternalData } from './internal-error.js';
export { ConflictError, type ConflictData } from './conflict-error.js';
export { PrunedError, type PrunedData } from './pruned-error.js';
export { InUseError, type InUseData } from './in-use-error.js';
