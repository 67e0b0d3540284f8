// The kit's fixtures, for the provider tests that build on them.
export * from '../../src/conformance/fixtures.js';
