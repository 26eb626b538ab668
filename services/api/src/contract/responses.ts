// Every response body the API sends, as zod schemas: /openapi.json is generated from them, the resource
// builders are typed by them (so the code cannot drift from the document), and the contract test checks
// real answers against them.
import { z } from 'zod';
import { datasetIds, formats, granularities } from '@ax/datasets';
import { filtersSchema } from '../export-request';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('YYYY-MM-DD');
const instant = z.iso.datetime({ offset: true }).describe('RFC 3339 timestamp (UTC)');
const uuid = z.uuid();

export const exportObject = z.object({
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

export const scheduleObject = z.object({
  id: uuid,
  name: z.string(),
  dataset: z.enum(datasetIds),
  format: z.enum(formats),
  frequency: z.enum(['weekly', 'monthly']),
  recipients: z.array(z.email()),
  unsubscribed: z
    .array(z.email())
    .describe(
      'Read only: recipients who unsubscribed (lower-cased); their deliveries are suppressed, and the owner cannot add them back (422 recipient_unsubscribed)',
    ),
  timezone: z.string(),
  granularity: z.enum(granularities),
  compression: z.enum(['none', 'gzip']),
  csv_bom: z.boolean(),
  filters: filtersSchema,
  paused: z.boolean(),
  paused_reason: z
    .enum(['user', 'failing', 'creator_key_revoked'])
    .nullable()
    .describe(
      'Why it is paused: by a PATCH (user), after REPORT_FAILURES_BEFORE_PAUSE failed runs in a row (failing), or because the key that created it was revoked; resuming clears it',
    ),
  failure_contacts: z.array(z.email()).describe('Who gets one e-mail when the schedule is paused for failing'),
  next_run_at: instant.nullable(),
  created_at: instant,
  updated_at: instant,
});

export const deliveryObject = z.object({
  recipient: z.email(),
  status: z.enum(['pending', 'sent', 'failed', 'suppressed']),
  sent_at: instant.nullable(),
  error: z.string().nullable(),
});

export const apiKeyObject = z.object({
  id: uuid,
  name: z.string(),
  role: z.enum(['admin', 'publisher']),
  publisher_id: z.string().nullable(),
  created_at: instant,
  last_used_at: instant.nullable().describe('Recorded at most once a minute'),
  revoked_at: instant.nullable(),
});
export const apiKeyList = z.object({ data: z.array(apiKeyObject) });

export const runObject = z.object({
  id: uuid,
  period_start: date,
  period_end: date,
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  resend: z.boolean(),
  export_id: uuid.nullable(),
  created_at: instant,
  finished_at: instant.nullable(),
  deliveries: z.array(deliveryObject),
});

export const datasetObject = z.object({
  id: z.enum(datasetIds),
  formats: z.array(z.enum(formats)),
  columns: z.array(z.string()),
  granularities: z.array(z.enum(granularities)),
  oldest_available: date,
});

export const errorObject = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
  }),
});

export const retentionMonth = z.object({
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .describe('YYYY-MM'),
  from: date.describe('First day of the month still kept'),
  to: date.describe('First day of the next month (exclusive)'),
  deletion_starts_on: date.describe('The first daily pass that deletes any of the month'),
  fully_deleted_on: date.describe('The daily pass after which none of the month is left'),
});

export const retentionObject = z
  .object({
    retention_months: z.number().int(),
    today: date,
    cutoff: date.describe('Oldest day kept; rows dated before it are deleted'),
    daily_pass: z.object({ time: z.string(), timezone: z.string() }),
    next_deletion: retentionMonth,
    horizon_days: z.number().int(),
    unexported_months: z
      .array(retentionMonth)
      .describe("The caller's months due for deletion within horizon_days that were never exported"),
    months: z.array(retentionMonth).describe('Every month still (partly) kept, oldest first'),
  })
  .describe('The retention cutoff, the next deletion and the months at risk (see the retention section of the README)');

export const readinessObject = z.object({
  status: z.enum(['ready', 'unavailable']),
  checks: z.object({ postgres: z.boolean(), redis: z.boolean(), s3: z.boolean() }),
});

export const roleSchema = z.enum(['admin', 'publisher']);
export const sessionObject = z.object({ role: roleSchema, publisher_id: z.string().nullable(), expires_at: instant });
export const meObject = z.object({
  role: roleSchema,
  publisher_id: z.string().nullable(),
  key_id: uuid,
  key_name: z.string(),
});
export const packageObject = z.object({ package_id: z.string(), name: z.string(), publisher_id: z.string() });
export const publisherObject = z.object({ publisher_id: z.string(), name: z.string() });

/** A JSON export's file (CONTRACT §3): every period of the range, in order, with the dataset's metrics. */
export const exportJsonFile = z.object({
  dataset: z.enum(datasetIds),
  granularity: z.enum(granularities),
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  periods: z.array(z.object({ period_start: date, period_end: date, metrics: z.record(z.string(), z.unknown()) })),
});

export const emailPreview = z.object({
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  period_start: date,
  period_end: date,
});

export const exportList = z.object({ data: z.array(exportObject), next_cursor: uuid.nullable() });
export const scheduleList = z.object({ data: z.array(scheduleObject), next_cursor: uuid.nullable() });
export const runList = z.object({ data: z.array(runObject) });
export const datasetList = z.object({ data: z.array(datasetObject) });
export const packageList = z.object({ data: z.array(packageObject) });
export const publisherList = z.object({ data: z.array(publisherObject) });
export const healthObject = z.object({ status: z.literal('ok') });

export type ExportObject = z.infer<typeof exportObject>;
export type ScheduleObject = z.infer<typeof scheduleObject>;
export type RunObject = z.infer<typeof runObject>;
export type RetentionObject = z.infer<typeof retentionObject>;
