// The building blocks of the OpenAPI document: zod → JSON Schema, the component schemas, and the small helpers
// each path is written with (responses by component name, errors by status, parameters, security).
import { z } from 'zod';
import * as r from '../contract/responses';
import { createExportSchema } from '../export-request';
import { createSessionSchema } from '../routes/sessions';
import { emailPreviewSchema } from '../routes/email-preview';
import { backfillSchema, createScheduleSchema, patchScheduleSchema } from '../schedule-request';

export type JsonSchema = Record<string, unknown>;
export type Operation = Record<string, unknown>;
export type Paths = Record<string, Record<string, Operation | Operation[]>>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

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

export const schemas: Record<string, JsonSchema> = {
  CreateExport: toSchema(createExportSchema),
  CreateSchedule: toSchema(createScheduleSchema),
  PatchSchedule: toSchema(patchScheduleSchema),
  Backfill: toSchema(backfillSchema),
  CreateSession: toSchema(createSessionSchema),
  EmailPreviewRequest: toSchema(emailPreviewSchema),
  ...Object.fromEntries(Object.entries(responseSchemas).map(([name, schema]) => [name, toSchema(schema, 'output')])),
};

/** Query parameters from a strict zod object: one parameter per property. */
export function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = toSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

export const json = (name: keyof typeof responseSchemas) => ({
  content: { 'application/json': { schema: ref(name) } },
});
export const ok = (description: string, name: keyof typeof responseSchemas) => ({ description, ...json(name) });
export const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});
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
export const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), ok(ERROR_TEXT[c]!, 'Error')]));
export const tokenParam = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'The signed token from the e-mail',
  schema: { type: 'string' },
};
export const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what} id`,
  schema: { type: 'string', format: 'uuid' },
});
export const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
/** Every authenticated operation takes a bearer key or the web page's session cookie. */
export const AUTHED = [{ bearer: [] }, { session: [] }];
export const op = (operationId: string, o: Operation, security: unknown[] = AUTHED): Operation => ({
  operationId,
  security,
  ...o,
});
export const open = (operationId: string, o: Operation) => op(operationId, o, []);
