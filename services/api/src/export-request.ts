// Turns an export request body into a validated, scoped export: shape (zod), meaning (dates, zone),
// access (role, package ownership) and retention. Shared by exports and schedules.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { foreignPackages, publisherExists, type NewExport, type Principal, type Sql } from '@ax/db';
import {
  countPeriods,
  datasetIds,
  MAX_JSON_PERIODS,
  effectivePublisher,
  formats,
  getDataset,
  granularities,
  isValidTimeZone,
  mayExport,
  resolveInstant,
  type Dataset,
} from '@ax/datasets';
import { cutoffInstant, retentionCutoff } from '@ax/retention';
import { ApiError, badRequest, forbidden, notFound, zodDetails, type ErrorDetail } from './errors';

const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s,{}"\\]+$/, 'must not contain whitespace, commas, braces, quotes or backslashes');

export const filtersSchema = z
  .object({
    package_ids: z.array(id).min(1).max(1000).optional(),
    publisher_id: id.optional(),
  })
  .strict();

const TIME_ZONE_HINT = 'Must be an IANA time zone such as "Europe/Berlin".';
const RANGE_HINT = 'Must be a date YYYY-MM-DD or an RFC 3339 timestamp with offset.';
/** A real calendar day or instant (checked in UTC; a day the zone skips, rare, is caught when resolved in the zone). */
const rangeInput = z
  .string()
  .max(40)
  .refine((v) => resolveInstant(v, 'UTC') !== null, RANGE_HINT);

/** What exports and schedules share: what to export and how to encode it. */
export const exportShape = {
  dataset: z.enum(datasetIds),
  format: z.enum(formats),
  timezone: z.string().max(64).refine(isValidTimeZone, TIME_ZONE_HINT).default('UTC'),
  granularity: z.enum(granularities).default('day'),
  compression: z.enum(['none', 'gzip']).default('none'),
  csv_bom: z.boolean().default(false),
  filters: filtersSchema.default({}),
};

export const createExportSchema = z.object({ ...exportShape, from: rangeInput, to: rangeInput }).strict();
export type CreateExportBody = z.infer<typeof createExportSchema>;

/** The parsed body; a 400 naming every bad field otherwise, with `problems` found elsewhere (e.g. a header). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, problems: ErrorDetail[] = []): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success || problems.length)
    throw badRequest([...problems, ...(parsed.success ? [] : zodDetails(parsed.error))]);
  return parsed.data;
}

export type ExportSpec = Pick<
  CreateExportBody,
  'dataset' | 'format' | 'timezone' | 'granularity' | 'compression' | 'csv_bom' | 'filters'
>;

/**
 * Checks zone, filters and access for a caller. Returns the dataset and the publisher the data is scoped to. A 400
 * names its own problems and `problems` found by the caller's other checks (e.g. the range), all at once.
 */
export async function authorizeSpec(
  sql: Sql,
  principal: Principal,
  spec: ExportSpec,
  problems: ErrorDetail[] = [],
): Promise<{ dataset: Dataset; scopePublisherId: string | null }> {
  const details: ErrorDetail[] = [...problems];
  if (!isValidTimeZone(spec.timezone)) details.push({ field: 'timezone', message: TIME_ZONE_HINT });
  const dataset = getDataset(spec.dataset)!;
  if (!mayExport(principal, dataset)) throw forbidden(`Dataset ${dataset.id} is available to admins only.`);
  if (spec.filters.publisher_id !== undefined && principal.role !== 'admin')
    details.push({ field: 'filters.publisher_id', message: 'Only admins may filter by publisher.' });
  if (spec.filters.publisher_id !== undefined && dataset.ownership === 'none')
    details.push({ field: 'filters.publisher_id', message: `Dataset ${dataset.id} has no per-publisher data.` });
  if (spec.filters.package_ids !== undefined && dataset.ownership !== 'packages')
    details.push({ field: 'filters.package_ids', message: `Dataset ${dataset.id} cannot be filtered by package.` });
  if (details.length) throw badRequest(details);
  const scopePublisherId =
    dataset.ownership === 'none' ? null : effectivePublisher(principal, spec.filters.publisher_id);
  if (
    principal.role === 'admin' &&
    spec.filters.publisher_id !== undefined &&
    !(await publisherExists(sql, spec.filters.publisher_id))
  )
    throw notFound('publisher');
  if (spec.filters.package_ids) {
    const foreign = await foreignPackages(sql, spec.filters.package_ids, scopePublisherId);
    if (foreign.length)
      throw new ApiError(
        404,
        'not_found',
        `No such package: ${foreign.join(', ')}.`,
        foreign.map((f) => ({ field: 'filters.package_ids', message: `unknown package ${f}` })),
      );
  }
  return { dataset, scopePublisherId };
}

type RangeBody = { from: string; to: string; timezone: string };
export type ReadRange = { from: Date | null; to: Date | null; problems: ErrorDetail[] };

/** `from`/`to` resolved in the zone (null where unreadable), and what is wrong with them. */
export function readRange(body: RangeBody): ReadRange {
  const from = resolveInstant(body.from, body.timezone);
  const to = resolveInstant(body.to, body.timezone);
  const problems: ErrorDetail[] = [];
  if (!from) problems.push({ field: 'from', message: RANGE_HINT });
  if (!to) problems.push({ field: 'to', message: RANGE_HINT });
  if (from && to && from >= to) problems.push({ field: 'to', message: 'Must be after "from".' });
  return { from, to, problems };
}

/** The range read by readRange: a 400 for its problems, a 422 when it starts before the retention cutoff. */
export function resolveRange(range: ReadRange, today: Date, retentionMonths: number): { from: Date; to: Date } {
  if (range.problems.length) throw badRequest(range.problems);
  const { from, to } = range;
  requireRetained(from!, today, retentionMonths, 'from');
  return { from: from!, to: to! };
}

/**
 * The one 422 outside_retention, for an export's `from` and a backfill's `period_start` alike: data starting before
 * the cutoff (today minus RETENTION_MONTHS) is gone or about to be.
 */
export function requireRetained(
  start: Date,
  today: Date,
  retentionMonths: number,
  field: 'from' | 'period_start',
): void {
  const cutoff = retentionCutoff(today, retentionMonths);
  if (start >= cutoffInstant(cutoff)) return;
  const must = field === 'from' ? 'Must be on or after' : 'Must start on or after';
  throw new ApiError(
    422,
    'outside_retention',
    `Data before ${cutoff} is no longer kept (${retentionMonths}-month retention).`,
    [{ field, message: `${must} ${cutoff}.` }],
  );
}

/** A JSON document has one entry per period, zero-filled: more than MAX_JSON_PERIODS → 422 range_too_large. */
export function boundPeriods(
  spec: Pick<ExportSpec, 'format' | 'granularity' | 'timezone'>,
  range: { from: Date; to: Date },
): void {
  if (spec.format !== 'json') return;
  const periods = countPeriods(range.from, range.to, spec.granularity, spec.timezone);
  if (periods > MAX_JSON_PERIODS)
    throw new ApiError(
      422,
      'range_too_large',
      `The range has ${periods} ${spec.granularity} periods; a JSON export may have at most ${MAX_JSON_PERIODS}.`,
      [{ field: 'to', message: `At most ${MAX_JSON_PERIODS} periods of a ${spec.granularity} from "from".` }],
    );
}

export function newExportFrom(
  body: CreateExportBody,
  range: { from: Date; to: Date },
  principal: Principal,
  scopePublisherId: string | null,
): NewExport {
  return {
    dataset: body.dataset,
    format: body.format,
    compression: body.compression,
    csv_bom: body.csv_bom,
    range_from: range.from,
    range_to: range.to,
    from_input: body.from,
    to_input: body.to,
    timezone: body.timezone,
    granularity: body.granularity,
    filters: body.filters,
    scope_publisher_id: scopePublisherId,
    owner_publisher_id: principal.role === 'publisher' ? principal.publisherId : null,
    api_key_id: principal.keyId,
  };
}

/** Stable hash of a parsed body, for Idempotency-Key comparisons. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}
