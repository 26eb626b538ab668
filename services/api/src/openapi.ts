// The OpenAPI 3.1 document, built at start from the zod schemas the routes validate with (request bodies and
// query strings, via zod 4's z.toJSONSchema in input mode, so defaults make fields optional and `.strict()`
// becomes additionalProperties: false). Responses come from contract/responses.ts, in output mode. Every
// operation has an operationId (the generated client's names) and its security: bearer key or session cookie.
import { z } from 'zod';
import * as r from './contract/responses';
import { createExportSchema } from './export-request';
import { listExportsQuery } from './routes/exports';
import { listPackagesQuery } from './routes/lookups';
import { listSchedulesQuery } from './routes/schedules';
import { createSessionSchema } from './routes/sessions';
import { emailPreviewSchema } from './routes/email-preview';
import { backfillSchema, createScheduleSchema, patchScheduleSchema } from './schedule-request';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The response bodies by component name, as zod schemas: the contract test validates real answers with them. */
export const responseSchemas = {
  Export: r.exportObject,
  ExportJsonFile: r.exportJsonFile,
  ExportList: r.exportList,
  Schedule: r.scheduleObject,
  ScheduleList: r.scheduleList,
  ApiKeyList: r.apiKeyList,
  Run: r.runObject,
  RunList: r.runList,
  DatasetList: r.datasetList,
  Retention: r.retentionObject,
  Readiness: r.readinessObject,
  Health: r.healthObject,
  Session: r.sessionObject,
  Me: r.meObject,
  PackageList: r.packageList,
  PublisherList: r.publisherList,
  EmailPreview: r.emailPreview,
  Error: r.errorObject,
} satisfies Record<string, z.ZodType>;

const schemas: Record<string, JsonSchema> = {
  CreateExport: toSchema(createExportSchema),
  CreateSchedule: toSchema(createScheduleSchema),
  PatchSchedule: toSchema(patchScheduleSchema),
  Backfill: toSchema(backfillSchema),
  CreateSession: toSchema(createSessionSchema),
  EmailPreviewRequest: toSchema(emailPreviewSchema),
  ...Object.fromEntries(Object.entries(responseSchemas).map(([name, schema]) => [name, toSchema(schema, 'output')])),
};

/** Query parameters from a strict zod object: one parameter per property. */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = toSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

const json = (name: keyof typeof responseSchemas) => ({ content: { 'application/json': { schema: ref(name) } } });
const ok = (description: string, name: keyof typeof responseSchemas) => ({ description, ...json(name) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `details` names each bad field (unknown fields are refused)',
  401: 'Missing or unknown credentials, or an ended session',
  403: 'Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web`',
  404: "Not found (also for other principals' objects)",
  409: 'Conflict with the current state',
  410: 'Gone: the export file expired (code `expired`, EXPORT_FILE_TTL_DAYS after it was written)',
  422: 'Valid but impossible, e.g. outside_retention, range_too_large, limit_reached, recipient_unsubscribed',
  429: 'Rate limited (too many active exports; REPORT_MANUAL_RUNS_PER_DAY manual runs of a schedule); code rate_limited, see Retry-After',
  503: 'A dependency (e.g. the job queue) is unavailable; see Retry-After',
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), ok(ERROR_TEXT[c]!, 'Error')]));
const tokenParam = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The signed token from the e-mail',
  schema: { type: 'string' },
};
const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what} id`,
  schema: { type: 'string', format: 'uuid' },
});
const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
/** Every authenticated operation takes a bearer key or the web page's session cookie. */
const AUTHED = [{ bearer: [] }, { session: [] }];
const op = (operationId: string, o: Operation, security: unknown[] = AUTHED): Operation => ({
  operationId,
  security,
  ...o,
});
const open = (operationId: string, o: Operation) => op(operationId, o, []);

const paths: Record<string, Record<string, Operation | Operation[]>> = {
  '/v1/sessions': {
    post: open('createSession', {
      tags: ['sessions'],
      summary: 'Sign in: trade an API key for the `ax_session` cookie (12 hours)',
      requestBody: body('CreateSession'),
      responses: {
        201: {
          description: 'Signed in; `Set-Cookie: ax_session=…; HttpOnly; SameSite=Strict; Path=/`',
          headers: { 'Set-Cookie': { schema: { type: 'string' } } },
          ...json('Session'),
        },
        ...errors(400, 401),
      },
    }),
  },
  '/v1/sessions/current': {
    delete: open('deleteSession', {
      tags: ['sessions'],
      summary: 'Sign out: end this session and clear its cookie (needs `X-Requested-With: ax-web` with the cookie)',
      responses: { 204: { description: 'Signed out' }, ...errors(403) },
    }),
  },
  '/v1/me': {
    get: op('getMe', {
      tags: ['sessions'],
      summary: 'Who the caller is',
      responses: { 200: ok('The caller', 'Me'), ...errors(401) },
    }),
  },
  '/v1/packages': {
    get: op('listPackages', {
      tags: ['lookups'],
      summary: "A publisher's own packages; admins all, or one publisher's",
      parameters: queryParameters(listPackagesQuery),
      responses: { 200: ok('Packages', 'PackageList'), ...errors(400, 401, 403) },
    }),
  },
  '/v1/publishers': {
    get: op('listPublishers', {
      tags: ['lookups'],
      summary: 'Every publisher (admins only)',
      responses: { 200: ok('Publishers', 'PublisherList'), ...errors(401, 403) },
    }),
  },
  '/v1/datasets': {
    get: op('listDatasets', {
      tags: ['datasets'],
      summary: 'Datasets this caller may export',
      responses: { 200: ok('Datasets', 'DatasetList'), ...errors(401) },
    }),
  },
  '/v1/exports': {
    post: op('createExport', {
      tags: ['exports'],
      summary: 'Request an export (asynchronous)',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Same key and body → the same export; same key, other body → 409',
          schema: { type: 'string', maxLength: 200 },
        },
      ],
      requestBody: body('CreateExport'),
      responses: {
        202: {
          description: 'Accepted; `Location` points at the export',
          headers: { Location: { schema: { type: 'string' } } },
          ...json('Export'),
        },
        ...errors(400, 401, 403, 404, 409, 422, 429, 503),
      },
    }),
    get: op('listExports', {
      tags: ['exports'],
      summary: 'List exports, newest first',
      parameters: queryParameters(listExportsQuery),
      responses: { 200: ok('A page of exports', 'ExportList'), ...errors(400, 401) },
    }),
  },
  '/v1/exports/{id}': {
    get: op('getExport', {
      tags: ['exports'],
      summary: 'One export',
      parameters: [idParam('export')],
      responses: { 200: ok('The export', 'Export'), ...errors(401, 404) },
    }),
    delete: op('cancelExport', {
      tags: ['exports'],
      summary: 'Cancel a queued or running export',
      parameters: [idParam('export')],
      responses: { 200: ok('The cancelled export', 'Export'), ...errors(401, 403, 404, 409) },
    }),
  },
  '/v1/exports/{id}/download': {
    get: op('downloadExport', {
      tags: ['exports'],
      summary: 'Redirect to a freshly signed URL of the file',
      parameters: [idParam('export')],
      responses: {
        302: {
          description: 'Redirect to the file',
          headers: { Location: { schema: { type: 'string', format: 'uri' } } },
        },
        ...errors(401, 404, 409, 410),
      },
    }),
  },
  '/v1/exports/{id}/json': {
    get: op('getExportJson', {
      tags: ['exports'],
      summary:
        "A succeeded JSON export's file through the API (gzip files with Content-Encoding: gzip), for the web page's chart",
      parameters: [idParam('export')],
      responses: { 200: ok('The JSON file', 'ExportJsonFile'), ...errors(401, 404, 409) },
    }),
  },
  '/v1/schedules': {
    post: op('createSchedule', {
      tags: ['schedules'],
      summary: 'Create a scheduled report (422 limit_reached past SCHEDULES_PER_PUBLISHER live schedules)',
      requestBody: body('CreateSchedule'),
      responses: { 201: ok('Created', 'Schedule'), ...errors(400, 401, 403, 404, 422) },
    }),
    get: op('listSchedules', {
      tags: ['schedules'],
      summary: 'List schedules',
      parameters: queryParameters(listSchedulesQuery),
      responses: { 200: ok('A page of schedules', 'ScheduleList'), ...errors(400, 401) },
    }),
  },
  '/v1/schedules/preview-email': {
    post: op('previewScheduleEmail', {
      tags: ['schedules'],
      summary:
        "The e-mail a schedule's recipients get, from the real template, for the last completed period (example figures; nothing is sent)",
      requestBody: body('EmailPreviewRequest'),
      responses: { 200: ok('The rendered e-mail', 'EmailPreview'), ...errors(400, 401, 403) },
    }),
  },
  '/v1/schedules/{id}': {
    get: op('getSchedule', {
      tags: ['schedules'],
      summary: 'One schedule',
      parameters: [idParam('schedule')],
      responses: { 200: ok('The schedule', 'Schedule'), ...errors(401, 404) },
    }),
    patch: op('updateSchedule', {
      tags: ['schedules'],
      summary:
        'Change a schedule (any field, and `paused`); adding back an unsubscribed recipient → 422 recipient_unsubscribed',
      parameters: [idParam('schedule')],
      requestBody: body('PatchSchedule'),
      responses: { 200: ok('The schedule', 'Schedule'), ...errors(400, 401, 403, 404, 422) },
    }),
    delete: op('deleteSchedule', {
      tags: ['schedules'],
      summary: 'Delete a schedule (its e-mailed links stop working)',
      parameters: [idParam('schedule')],
      responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
    }),
  },
  '/v1/schedules/{id}/runs': {
    get: op('listScheduleRuns', {
      tags: ['schedules'],
      summary: 'Runs of a schedule with their deliveries',
      parameters: [idParam('schedule')],
      responses: { 200: ok('Runs', 'RunList'), ...errors(401, 404) },
    }),
    post: op('runSchedule', {
      tags: ['schedules'],
      summary: 'Run the report now for a completed period (backfill)',
      parameters: [idParam('schedule')],
      requestBody: body('Backfill'),
      responses: {
        200: ok('The existing run for this period', 'Run'),
        202: ok('A new run was started', 'Run'),
        ...errors(400, 401, 403, 404, 422, 429, 503),
      },
    }),
  },
  '/v1/report-links/{token}': {
    get: open('followReportLink', {
      tags: ['schedules'],
      summary:
        'The download link in report e-mails: one signed token per delivery (recipient and run), no bearer token',
      parameters: [tokenParam],
      responses: {
        302: { description: 'Redirect to a short-lived signed URL of the file' },
        403: html(
          'Tampered or expired token; the expiry is never honoured beyond LINK_TTL_DAYS from the send (an HTML page)',
        ),
        410: html(
          'The schedule was deleted, or the file is gone or expired (an HTML page; with Accept: application/json an expired file is the error `expired`)',
        ),
      },
    }),
  },
  '/v1/unsubscribe/{token}': {
    get: open('showUnsubscribe', {
      tags: ['schedules'],
      summary: 'Unsubscribe page of a report e-mail: a button, changes nothing',
      parameters: [tokenParam],
      responses: {
        200: html('The page with an Unsubscribe (or Undo) button'),
        403: html('Tampered token'),
        410: html('The schedule was deleted'),
      },
    }),
    post: open('unsubscribe', {
      tags: ['schedules'],
      summary: 'Unsubscribe this address from this schedule (the button, or RFC 8058 one-click)',
      parameters: [tokenParam],
      responses: {
        200: html('Unsubscribed; the page offers Undo'),
        403: html('Tampered token'),
        410: html('The schedule was deleted'),
      },
    }),
  },
  '/v1/unsubscribe/{token}/undo': {
    post: open('undoUnsubscribe', {
      tags: ['schedules'],
      summary: 'Undo an unsubscribe (only the recipient can)',
      parameters: [tokenParam],
      responses: { 200: html('Subscribed again'), 403: html('Tampered token'), 410: html('The schedule was deleted') },
    }),
  },
  '/v1/api-keys': {
    get: op('listApiKeys', {
      tags: ['api-keys'],
      summary: 'List API keys with their last use (admins)',
      responses: { 200: ok('Keys', 'ApiKeyList'), ...errors(401, 403) },
    }),
  },
  '/v1/api-keys/{id}': {
    delete: op('revokeApiKey', {
      tags: ['api-keys'],
      summary:
        'Revoke a key at once (admins); its sessions end and the schedules it created are paused (creator_key_revoked)',
      parameters: [idParam('API key')],
      responses: { 204: { description: 'Revoked (also when it already was)' }, ...errors(401, 403, 404) },
    }),
  },
  '/v1/retention': {
    get: op('getRetention', {
      tags: ['retention'],
      summary: "Retention cutoff, next deletion, the kept months and the caller's months at risk",
      responses: { 200: ok('Retention status', 'Retention'), ...errors(401) },
    }),
  },
  '/healthz': {
    get: open('getHealth', {
      tags: ['operations'],
      summary: 'Liveness',
      responses: { 200: ok('The process answers', 'Health') },
    }),
  },
  '/readyz': {
    get: open('getReadiness', {
      tags: ['operations'],
      summary: 'Readiness: PostgreSQL, Redis and S3 reachable',
      responses: { 200: ok('Ready', 'Readiness'), 503: ok('Not ready; see `checks` and Retry-After', 'Readiness') },
    }),
  },
  // Served on the ops port (METRICS_PORT), not on this server: the path's own `servers` says so.
  '/metrics': {
    servers: [
      { url: 'http://127.0.0.1:9466', description: 'The ops port (METRICS_HOST:METRICS_PORT), not the API port' },
    ],
    get: open('getMetrics', {
      tags: ['operations'],
      summary: 'Prometheus metrics: served on the ops port (METRICS_PORT, default 9466), not on the API port',
      responses: {
        200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    }),
  },
  '/openapi.json': {
    get: open('getOpenApi', {
      tags: ['operations'],
      summary: 'This document',
      responses: {
        200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    }),
  },
  '/docs': {
    get: open('getDocs', {
      tags: ['operations'],
      summary: 'Swagger UI for this document',
      responses: { 200: html('HTML') },
    }),
  },
  '/admin/queues': {
    get: op('getQueueDashboard', {
      tags: ['operations'],
      summary: 'bull-board queue dashboard (admins: bearer key or session cookie)',
      responses: {
        200: html('The dashboard (HTML)'),
        303: { description: 'A browser page load without a session: to /sign-in and back' },
        ...errors(401, 403),
      },
    }),
  },
};

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
