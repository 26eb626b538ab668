// The OpenAPI 3.1 document, built at start from the zod schemas the routes validate with (request bodies and
// query strings, via zod 4's z.toJSONSchema in input mode, so defaults make fields optional and `.strict()`
// becomes additionalProperties: false). Responses come from contract/responses.ts, in output mode. Every
// operation has an operationId (the generated client's names) and its security: bearer key or session cookie.
import { accountPaths, adminPaths } from './openapi/paths-account';
import { exportPaths } from './openapi/paths-exports';
import { operationPaths } from './openapi/paths-operations';
import { schedulePaths } from './openapi/paths-schedules';
import { AUTHED, schemas, type Paths } from './openapi/parts';

export { responseSchemas } from './openapi/parts';

/** In the order the generated client lists them. */
const paths: Paths = { ...accountPaths, ...exportPaths, ...schedulePaths, ...adminPaths, ...operationPaths };

export function openApiDocument(opts: { version?: string } = {}) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Analytics export API',
      version: opts.version ?? '1.0.0',
      description:
        "One-off and scheduled exports of marketplace analytics. Every /v1 route takes `Authorization: Bearer <token>`, or the web page's session cookie.",
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'Local (set PORT to change)' }],
    security: AUTHED,
    tags: [
      { name: 'sessions', description: 'Signing in to the web page' },
      { name: 'lookups', description: 'Packages and publishers for forms' },
      { name: 'datasets', description: 'What may be exported' },
      { name: 'exports', description: 'One-off exports' },
      { name: 'schedules', description: 'Scheduled reports' },
      { name: 'retention', description: 'What ages out when' },
      { name: 'api-keys', description: 'Listing and revoking keys (admins)' },
      { name: 'operations', description: 'Health, metrics, docs, queues' },
    ],
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `pnpm cli api-keys create`' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'ax_session',
          description: "The web page's session (POST /v1/sessions); changes also need `X-Requested-With: ax-web`",
        },
      },
    },
    paths,
  };
}
