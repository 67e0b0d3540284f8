// Moved: TOKENS to src/platform/tokens.ts, Clock to src/registry/clock.ts. This file only keeps
// the old import path working for files outside the platform's ownership until they change theirs.
export { TOKENS } from './platform/tokens.js';
export type { Clock } from './registry/clock.js';
