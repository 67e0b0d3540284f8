import type { ProviderClass } from '../registry/spi.js';

/** A JSON Schema (draft 2020-12) fragment, as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * Everything the platform knows about a built-in provider, written once in the provider's own
 * folder (describe.ts): the platform derives platform.yaml's schema, path resolution, hints and
 * loading from these. Importing a description never imports the provider itself.
 */
export interface ProviderDescription {
  /** As platform.yaml spells it: `provider: posix`. */
  readonly name: string;
  /**
   * The schema of the instance's options (every key but `provider`): an object schema with
   * `description`, `properties` and, where needed, `required`. Unknown keys are refused.
   */
  readonly options: JsonSchema & { readonly description: string; readonly properties: Record<string, JsonSchema> };
  /** Options that are file paths, resolved against the platform file that sets them. */
  readonly pathOptions: readonly string[];
  /** Options that hold credentials, masked in every output (beyond those whose key names a secret). */
  readonly secretOptions: readonly string[];
  /** Imports the provider class; called on first use only. */
  load(): Promise<ProviderClass>;
}
