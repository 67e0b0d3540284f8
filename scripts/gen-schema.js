// npm run gen:schema: writes config/platform.schema.json from the provider list (src/providers/index.ts),
// through the compiled platformSchema(), formatted as Biome formats the tree, and the validator compiled
// from it (src/platform/compiled/schema.gen.ts). A test checks that both are current.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { platformSchema } from '../dist/platform/platform-schema.js';
import { VALIDATOR_FILE, validatorSource } from '../dist/platform/schema-codegen.js';

const file = fileURLToPath(new URL('../config/platform.schema.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(platformSchema(), null, 2)}\n`);
execFileSync(
  process.execPath,
  [fileURLToPath(new URL('../node_modules/@biomejs/biome/bin/biome', import.meta.url)), 'format', '--write', file],
  {
    stdio: 'inherit',
  },
);
console.log(`written: ${file}`);
writeFileSync(fileURLToPath(new URL(`../${VALIDATOR_FILE}`, import.meta.url)), validatorSource());
console.log(`written: ${VALIDATOR_FILE}`);
