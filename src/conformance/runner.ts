/**
 * What the kit needs from the caller's test runner. It takes these instead of importing a runner,
 * so that a provider's author runs it under whichever runner their package already uses.
 */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  /** A Jest-compatible `expect`: vitest's, Jest's, or the `expect` package's. */
  expect: Expect;
}

/** The part of a Jest-compatible `expect` the kit's assertions use. */
export interface Expect {
  (actual: unknown, message?: string): Assertion;
  any(type: unknown): unknown;
}

export interface Assertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toHaveLength(length: number): void;
  toBeNull(): void;
  toBeGreaterThan(bound: number): void;
  readonly not: Assertion;
  readonly rejects: AsyncAssertion;
}

export interface AsyncAssertion {
  toMatchObject(expected: object): Promise<unknown>;
}
