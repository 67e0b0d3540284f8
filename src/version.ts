import { readFileSync } from 'node:fs';

// One level above both src/ and dist/, so this works from sources (tests) and from the build.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The version of statekeep itself, recorded in every manifest, state header and package. */
export const STATEKEEP_VERSION: string = pkg.version;
