// The API client's types (web page and CLI), generated from the OpenAPI document by openapi-typescript: the page never
// hand-writes a request or response type. `pnpm gen:api` rewrites the file; a test fails when it is stale.
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../openapi';

export const CLIENT_TYPES_FILE = 'packages/api-client/src/schema.gen.ts';

export async function clientTypes(): Promise<string> {
  // defaultNonNullable: false, so a field with a default stays optional in requests (the API fills it in).
  const ast = await openapiTS(openApiDocument() as unknown as Parameters<typeof openapiTS>[0], {
    defaultNonNullable: false,
  });
  return `// Generated from /openapi.json by \`pnpm gen:api\` (openapi-typescript). Do not edit.\n\n${astToString(ast)}`;
}
