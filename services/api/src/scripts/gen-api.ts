// `pnpm gen:api [file]`: regenerates the web page's API types from the OpenAPI document (default: the committed file).
import { writeFileSync } from 'node:fs';
import { clientTypes, CLIENT_TYPES_FILE } from './client-types';

clientTypes()
  .then((text) => writeFileSync(process.argv[2] ?? CLIENT_TYPES_FILE, text))
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
