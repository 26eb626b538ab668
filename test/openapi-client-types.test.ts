// The API client's generated types match the document the API serves: a route or schema change without
// `pnpm gen:api` fails here instead of drifting. (The generator runs in its own process: openapi-typescript
// loads ES modules that jest's CommonJS runtime cannot.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const FILE = 'packages/api-client/src/schema.gen.ts';

it(`${FILE} is generated from the current document (run pnpm gen:api)`, () => {
  const fresh = join(mkdtempSync(join(tmpdir(), 'ax-gen-')), 'schema.gen.ts');
  execFileSync(
    process.execPath,
    ['--conditions=source', '--require', 'tsx/cjs', 'services/api/src/scripts/gen-api.ts', fresh],
    { cwd: ROOT },
  );
  expect(readFileSync(join(ROOT, FILE), 'utf8') === readFileSync(fresh, 'utf8')).toBe(true);
});
