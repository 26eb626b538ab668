// Writes the OpenAPI document the API serves at /openapi.json to a file, for `redocly lint` and the client
// generator (no server needed): `node --conditions=source --require tsx/cjs services/api/src/scripts/write-openapi.ts out.json`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openApiDocument } from '../openapi';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: write-openapi.ts <file.json>\n');
  process.exit(2);
}
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
