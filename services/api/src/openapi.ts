// The OpenAPI 3.1 document, built at start from the zod schemas the routes validate with (request bodies and
// query strings, via zod 4's z.toJSONSchema in input mode, so defaults make fields optional and `.strict()`
// becomes additionalProperties: false). Response shapes are described here, beside the routes' contract.
import { z } from 'zod';
import { datasetIds, formats, granularities } from '@ax/datasets';
import { createExportSchema, filtersSchema } from './export-request';
import { listExportsQuery } from './routes/exports';
import { listSchedulesQuery } from './routes/schedules';
import { backfillSchema, createScheduleSchema, patchScheduleSchema } from './schedule-request';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const toSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const date = z.string().describe('YYYY-MM-DD');
const instant = z.string().describe('RFC 3339 timestamp (UTC)');
const uuid = z.uuid();

// Responses: what the resources in export-resource.ts and schedule-resource.ts return.
const exportObject = z.object({
  id: uuid,
  dataset: z.enum(datasetIds),
  format: z.enum(formats),
  compression: z.enum(['none', 'gzip']),
  csv_bom: z.boolean(),
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  granularity: z.enum(granularities),
  filters: filtersSchema,
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired']),
  created_at: instant,
  started_at: instant.nullable(),
  finished_at: instant.nullable(),
  progress: z.object({ rows_written: z.number().int() }),
  result: z
    .object({
      row_count: z.number().int(),
      bytes: z.number().int(),
      sha256: z.string(),
      content_type: z.string(),
      file_name: z.string(),
      // Absent once the file expired (status `expired`, EXPORT_FILE_TTL_DAYS after it was written); then `expired_at`.
      download_url: z.url().optional(),
      download_url_expires_at: instant.optional(),
      expired_at: instant.nullable().optional(),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  schedule_id: uuid.nullable(),
});
const scheduleObject = z.object({
  id: uuid,
  name: z.string(),
  dataset: z.enum(datasetIds),
  format: z.enum(formats),
  frequency: z.enum(['weekly', 'monthly']),
  recipients: z.array(z.email()),
  unsubscribed: z.array(z.email()).describe('Read only: recipients who unsubscribed (lower-cased); their deliveries are suppressed, and the owner cannot add them back (422 recipient_unsubscribed)'),
  timezone: z.string(),
  granularity: z.enum(granularities),
  compression: z.enum(['none', 'gzip']),
  csv_bom: z.boolean(),
  filters: filtersSchema,
  paused: z.boolean(),
  paused_reason: z.enum(['user', 'failing', 'creator_key_revoked']).nullable()
    .describe('Why it is paused: by a PATCH (user), after REPORT_FAILURES_BEFORE_PAUSE failed runs in a row (failing), or because the key that created it was revoked; resuming clears it'),
  failure_contacts: z.array(z.email()).describe('Who gets one e-mail when the schedule is paused for failing'),
  next_run_at: instant.nullable(),
  created_at: instant,
  updated_at: instant,
});
const apiKeyObject = z.object({
  id: uuid,
  name: z.string(),
  role: z.enum(['admin', 'publisher']),
  publisher_id: z.string().nullable(),
  created_at: instant,
  last_used_at: instant.nullable().describe('Recorded at most once a minute'),
  revoked_at: instant.nullable(),
});
const runObject = z.object({
  id: uuid,
  period_start: date,
  period_end: date,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  resend: z.boolean(),
  export_id: uuid.nullable(),
  created_at: instant,
  finished_at: instant.nullable(),
  deliveries: z.array(
    z.object({ recipient: z.email(), status: z.enum(['pending', 'sent', 'failed', 'suppressed']), sent_at: instant.nullable(), error: z.string().nullable() }),
  ),
});
const datasetObject = z.object({
  id: z.enum(datasetIds),
  formats: z.array(z.enum(formats)),
  columns: z.array(z.string()),
  granularities: z.array(z.enum(granularities)),
  oldest_available: date,
});
const errorObject = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
  }),
});
const retentionMonth = z.looseObject({
  month: z.string().describe('YYYY-MM'),
  from: date,
  to: date,
  deletion_starts_on: date,
  fully_deleted_on: date,
});
const retentionObject = z
  .looseObject({
    cutoff: date.describe('Oldest day kept; rows dated before it are deleted'),
    next_deletion: retentionMonth,
    unexported_months: z.array(retentionMonth).describe("The caller's months due for deletion within 60 days that were never exported"),
  })
  .describe('The retention cutoff, the next deletion and the months at risk (see the retention section of the README)');
const readiness = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({ postgres: z.boolean(), redis: z.boolean(), s3: z.boolean() }),
});

const schemas: Record<string, JsonSchema> = {
  CreateExport: toSchema(createExportSchema),
  CreateSchedule: toSchema(createScheduleSchema),
  PatchSchedule: toSchema(patchScheduleSchema),
  Backfill: toSchema(backfillSchema),
  Export: toSchema(exportObject),
  ExportList: toSchema(z.object({ data: z.array(exportObject), next_cursor: uuid.nullable() })),
  Schedule: toSchema(scheduleObject),
  ApiKeyList: toSchema(z.object({ data: z.array(apiKeyObject) })),
  ScheduleList: toSchema(z.object({ data: z.array(scheduleObject), next_cursor: uuid.nullable() })),
  Run: toSchema(runObject),
  RunList: toSchema(z.object({ data: z.array(runObject) })),
  DatasetList: toSchema(z.object({ data: z.array(datasetObject) })),
  Retention: toSchema(retentionObject),
  Readiness: toSchema(readiness),
  Error: toSchema(errorObject),
};

/** Query parameters from a strict zod object: one parameter per property. */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = toSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema: s,
  }));
}

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string) => ({ description, ...json(ref('Error')) });
const errors = (...codes: number[]) => {
  const text: Record<number, string> = {
    400: 'Invalid input; `details` names each bad field (unknown fields are refused)',
    401: 'Missing or unknown bearer token',
    403: 'Not allowed for this caller',
    404: 'Not found (also for other principals\' objects)',
    409: 'Conflict with the current state',
    410: 'Gone: the export file expired (code `expired`, EXPORT_FILE_TTL_DAYS after it was written)',
    422: 'Valid but impossible, e.g. outside_retention',
    429: 'Rate limited (too many active exports; REPORT_MANUAL_RUNS_PER_DAY manual runs of a schedule); code rate_limited, see Retry-After',
    503: 'A dependency (e.g. the job queue) is unavailable; see Retry-After',
  };
  return Object.fromEntries(codes.map((c) => [String(c), errorResponse(text[c]!)]));
};
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what} id`, schema: { type: 'string', format: 'uuid' } });
const body = (name: string) => ({ required: true, ...json(ref(name)) });
const authed = (op: Operation): Operation => ({ security: [{ bearer: [] }], ...op });
const tokenParam = { name: 'token', in: 'path', required: true, description: 'The signed token from the e-mail', schema: { type: 'string' } };
const htmlPage = (description: string) => ({ description: `${description} (an HTML page)`, content: { 'text/html': { schema: { type: 'string' } } } });

const paths: Record<string, Record<string, Operation | Operation[]>> = {
  '/v1/datasets': {
    get: authed({ tags: ['datasets'], summary: 'Datasets this caller may export', responses: { 200: { description: 'Datasets', ...json(ref('DatasetList')) }, ...errors(401) } }),
  },
  '/v1/exports': {
    post: authed({
      tags: ['exports'], summary: 'Request an export (asynchronous)',
      parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Same key and body → the same export; same key, other body → 409', schema: { type: 'string', maxLength: 200 } }],
      requestBody: body('CreateExport'),
      responses: {
        202: { description: 'Accepted; `Location` points at the export', headers: { Location: { schema: { type: 'string' } } }, ...json(ref('Export')) },
        ...errors(400, 401, 403, 404, 409, 422, 429, 503),
      },
    }),
    get: authed({
      tags: ['exports'], summary: 'List exports, newest first', parameters: queryParameters(listExportsQuery),
      responses: { 200: { description: 'A page of exports', ...json(ref('ExportList')) }, ...errors(400, 401) },
    }),
  },
  '/v1/exports/{id}': {
    get: authed({ tags: ['exports'], summary: 'One export', parameters: [idParam('export')], responses: { 200: { description: 'The export', ...json(ref('Export')) }, ...errors(401, 404) } }),
    delete: authed({
      tags: ['exports'], summary: 'Cancel a queued or running export', parameters: [idParam('export')],
      responses: { 200: { description: 'The cancelled export', ...json(ref('Export')) }, ...errors(401, 404, 409) },
    }),
  },
  '/v1/exports/{id}/download': {
    get: authed({
      tags: ['exports'], summary: 'Redirect to a freshly signed URL of the file', parameters: [idParam('export')],
      responses: { 302: { description: 'Redirect to the file', headers: { Location: { schema: { type: 'string', format: 'uri' } } } }, ...errors(401, 404, 409, 410) },
    }),
  },
  '/v1/schedules': {
    post: authed({
      tags: ['schedules'], summary: 'Create a scheduled report (422 limit_reached past SCHEDULES_PER_PUBLISHER live schedules)', requestBody: body('CreateSchedule'),
      responses: { 201: { description: 'Created', ...json(ref('Schedule')) }, ...errors(400, 401, 403, 404, 422) },
    }),
    get: authed({
      tags: ['schedules'], summary: 'List schedules', parameters: queryParameters(listSchedulesQuery),
      responses: { 200: { description: 'A page of schedules', ...json(ref('ScheduleList')) }, ...errors(400, 401) },
    }),
  },
  '/v1/schedules/{id}': {
    get: authed({ tags: ['schedules'], summary: 'One schedule', parameters: [idParam('schedule')], responses: { 200: { description: 'The schedule', ...json(ref('Schedule')) }, ...errors(401, 404) } }),
    patch: authed({
      tags: ['schedules'], summary: 'Change a schedule (any field, and `paused`); adding back an unsubscribed recipient → 422 recipient_unsubscribed', parameters: [idParam('schedule')], requestBody: body('PatchSchedule'),
      responses: { 200: { description: 'The schedule', ...json(ref('Schedule')) }, ...errors(400, 401, 403, 404, 422) },
    }),
    delete: authed({ tags: ['schedules'], summary: 'Delete a schedule (its e-mailed links stop working)', parameters: [idParam('schedule')], responses: { 204: { description: 'Deleted' }, ...errors(401, 404) } }),
  },
  '/v1/schedules/{id}/runs': {
    get: authed({ tags: ['schedules'], summary: 'Runs of a schedule with their deliveries', parameters: [idParam('schedule')], responses: { 200: { description: 'Runs', ...json(ref('RunList')) }, ...errors(401, 404) } }),
    post: authed({
      tags: ['schedules'], summary: 'Run the report now for a completed period (backfill)', parameters: [idParam('schedule')], requestBody: body('Backfill'),
      responses: {
        200: { description: 'The existing run for this period', ...json(ref('Run')) },
        202: { description: 'A new run was started', ...json(ref('Run')) },
        ...errors(400, 401, 404, 422, 429, 503),
      },
    }),
  },
  '/v1/report-links/{token}': {
    get: {
      tags: ['schedules'], summary: 'The download link in report e-mails: one signed token per delivery (recipient and run), no bearer token',
      parameters: [tokenParam],
      responses: {
        302: { description: 'Redirect to a short-lived signed URL of the file' },
        403: htmlPage('Tampered or expired token; the expiry is never honoured beyond LINK_TTL_DAYS from the send'),
        410: htmlPage('The schedule was deleted, or the file is gone'),
      },
    },
  },
  '/v1/unsubscribe/{token}': {
    get: {
      tags: ['schedules'], summary: 'Unsubscribe page of a report e-mail: a button, changes nothing', parameters: [tokenParam],
      responses: { 200: htmlPage('The page with an Unsubscribe (or Undo) button'), 403: htmlPage('Tampered token'), 410: htmlPage('The schedule was deleted') },
    },
    post: {
      tags: ['schedules'], summary: 'Unsubscribe this address from this schedule (the button, or RFC 8058 one-click)', parameters: [tokenParam],
      responses: { 200: htmlPage('Unsubscribed; the page offers Undo'), 403: htmlPage('Tampered token'), 410: htmlPage('The schedule was deleted') },
    },
  },
  '/v1/unsubscribe/{token}/undo': {
    post: {
      tags: ['schedules'], summary: 'Undo an unsubscribe (only the recipient can)', parameters: [tokenParam],
      responses: { 200: htmlPage('Subscribed again'), 403: htmlPage('Tampered token'), 410: htmlPage('The schedule was deleted') },
    },
  },
  '/v1/api-keys': {
    get: authed({ tags: ['api-keys'], summary: 'List API keys with their last use (admins)', responses: { 200: { description: 'Keys', ...json(ref('ApiKeyList')) }, ...errors(401, 403) } }),
  },
  '/v1/api-keys/{id}': {
    delete: authed({
      tags: ['api-keys'], summary: 'Revoke a key at once (admins); the schedules it created are paused (creator_key_revoked)', parameters: [idParam('API key')],
      responses: { 204: { description: 'Revoked (also when it already was)' }, ...errors(401, 403, 404) },
    }),
  },
  '/v1/retention': {
    get: authed({ tags: ['retention'], summary: 'Retention cutoff, next deletion, and the caller\'s months at risk', responses: { 200: { description: 'Retention status', ...json(ref('Retention')) }, ...errors(401) } }),
  },
  '/healthz': { get: { tags: ['operations'], summary: 'Liveness', responses: { 200: { description: 'The process answers', ...json({ type: 'object', properties: { status: { const: 'ok' } } }) } } } },
  '/readyz': {
    get: {
      tags: ['operations'], summary: 'Readiness: PostgreSQL, Redis and S3 reachable',
      responses: { 200: { description: 'Ready', ...json(ref('Readiness')) }, 503: { description: 'Not ready; see `checks` and Retry-After', ...json(ref('Readiness')) } },
    },
  },
  // Served on the ops port (METRICS_PORT), not on this server: the path's own `servers` says so.
  '/metrics': { servers: [{ url: 'http://127.0.0.1:9466', description: 'The ops port (METRICS_HOST:METRICS_PORT), not the API port' }], get: { tags: ['operations'], summary: 'Prometheus metrics: served on the ops port (METRICS_PORT, default 9466), not on the API port', responses: { 200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
  '/openapi.json': { get: { tags: ['operations'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', ...json({ type: 'object' }) } } } },
  '/docs': { get: { tags: ['operations'], summary: 'Swagger UI for this document', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } } },
  '/admin/queues': {
    get: {
      tags: ['operations'], summary: 'bull-board queue dashboard (admin keys only; `?token=` once sets a cookie)',
      security: [{ bearer: [] }, { adminCookie: [] }],
      parameters: [{ name: 'token', in: 'query', required: false, description: 'An admin token, exchanged for an HttpOnly cookie and a redirect', schema: { type: 'string' } }],
      responses: {
        200: { description: 'The dashboard (HTML)', content: { 'text/html': { schema: { type: 'string' } } } },
        303: { description: 'Cookie set; redirect to the same page without the token' },
        ...errors(401, 403),
      },
    },
  },
};

export function openApiDocument(opts: { version?: string } = {}) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Analytics export API',
      version: opts.version ?? '1.0.0',
      description: 'One-off and scheduled exports of marketplace analytics. Every /v1 route takes `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    tags: ['datasets', 'exports', 'schedules', 'retention', 'api-keys', 'operations'].map((name) => ({ name })),
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `pnpm cli api-keys create`' },
        adminCookie: { type: 'apiKey', in: 'cookie', name: 'ax_admin_board' },
      },
    },
    paths,
  };
}
