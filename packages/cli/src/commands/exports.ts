// `exports create` and `exports list`: the CLI is an API client. It sends the same request a program would
// (POST /v1/exports with a bearer token), so validation, access rules, limits and the enqueue path are the
// API's own; nothing here talks to PostgreSQL or Redis directly.
import type { operations, Schemas } from '@ax/api-client';
import { apiClientFrom, ApiFailure, describeFailure, type ApiClient } from '../api-client';
import { intOption, UsageError, type Command, type Io } from '../command';
import { progressView } from '../progress';

const connection = {
  token: { type: 'string' },
  'api-url': { type: 'string' },
} as const;
const connectionUsage = '[--token T (or AX_API_TOKEN)] [--api-url http://127.0.0.1:3000 (or AX_API_URL)]';

/** Runs `fn`, turning API refusals into one readable message and exit code 1. */
async function withApi(
  io: Io,
  values: Record<string, unknown>,
  fn: (api: ApiClient) => Promise<number>,
): Promise<number> {
  const api = apiClientFrom(values, io.env);
  try {
    return await fn(api);
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
    io.err(describeFailure(err));
    return 1;
  }
}

const required = (v: Record<string, unknown>, name: string): string => {
  const value = v[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
};

export const createExportCommand: Command = {
  path: ['exports', 'create'],
  summary: 'Request an export through the API; with --wait, show progress and print the download URL',
  usage:
    'pnpm --silent cli exports create --dataset D --format csv|json --from X --to Y [--timezone Z] ' +
    '[--granularity day|week|month] [--compression none|gzip] [--csv-bom] [--package-ids a,b] ' +
    `[--publisher-id P (admin keys: only that publisher's data)] [--wait [--timeout 3600]] ${connectionUsage}\n\n` +
    'Prints the export id on stdout; with --wait, progress goes to stderr and the download URL to stdout.',
  options: {
    dataset: { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    timezone: { type: 'string' },
    granularity: { type: 'string' },
    compression: { type: 'string' },
    'csv-bom': { type: 'boolean' },
    'package-ids': { type: 'string' },
    'publisher-id': { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    ...connection,
  },
  async run(v, io) {
    const filters: Record<string, unknown> = {};
    if (v['package-ids'])
      filters.package_ids = String(v['package-ids'])
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (v['publisher-id']) filters.publisher_id = v['publisher-id'];
    // Only what was given: the API applies its own defaults and names every bad field.
    const body = Object.fromEntries(
      Object.entries({
        dataset: required(v, 'dataset'),
        format: required(v, 'format'),
        from: required(v, 'from'),
        to: required(v, 'to'),
        timezone: v.timezone,
        granularity: v.granularity,
        compression: v.compression,
        csv_bom: v['csv-bom'],
        filters: Object.keys(filters).length ? filters : undefined,
      }).filter(([, value]) => value !== undefined),
    );
    const timeoutS = intOption(v, 'timeout', 3600, 1);
    return withApi(io, v, async (api) => {
      // The API validates the body and names every bad field: the CLI passes on what it was given.
      const created = await api.call(api.client.POST('/v1/exports', { body: body as Schemas['CreateExport'] }));
      if (!v.wait) {
        io.out(`${created.id}\n`);
        return 0;
      }
      io.err(`export ${created.id} queued\n`);
      const view = progressView({
        label: `${created.dataset} ${created.format}`,
        tty: io.errIsTTY === true,
        write: io.err,
      });
      const deadline = Date.now() + timeoutS * 1000;
      let exp = created;
      while (exp.status === 'queued' || exp.status === 'running') {
        view.update(exp.status, exp.progress.rows_written);
        if (Date.now() > deadline) {
          view.done();
          io.err(`export ${exp.id} is still ${exp.status} after ${timeoutS} s; it keeps running (see: exports list)\n`);
          return 1;
        }
        await new Promise((r) => setTimeout(r, 500));
        exp = await api.call(api.client.GET('/v1/exports/{id}', { params: { path: { id: exp.id } } }));
      }
      view.update(exp.status, exp.result?.row_count ?? exp.progress.rows_written);
      view.done();
      if (exp.status !== 'succeeded' || !exp.result) {
        io.err(`export ${exp.id} ${exp.status}${exp.error ? `: ${exp.error.message} (${exp.error.code})` : ''}\n`);
        return 1;
      }
      io.err(
        `export ${exp.id} succeeded: ${exp.result.row_count} rows, ${exp.result.bytes} bytes; link valid until ${exp.result.download_url_expires_at}\n`,
      );
      io.out(`${exp.result.download_url}\n`);
      return 0;
    });
  },
};

export const listExportsCommand: Command = {
  path: ['exports', 'list'],
  summary: "List the caller's exports, newest first",
  usage: `pnpm --silent cli exports list [--status queued|running|succeeded|failed|cancelled|expired] [--dataset D] [--limit 20] [--json] ${connectionUsage}`,
  options: {
    status: { type: 'string' },
    dataset: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    ...connection,
  },
  async run(v, io) {
    const query = {
      ...(v.status ? { status: String(v.status) } : {}),
      ...(v.dataset ? { dataset: String(v.dataset) } : {}),
      limit: intOption(v, 'limit', 20, 1),
    } as operations['listExports']['parameters']['query']; // the API checks status and dataset
    return withApi(io, v, async (api) => {
      const page = await api.call(api.client.GET('/v1/exports', { params: { query } }));
      if (v.json) {
        io.out(`${JSON.stringify(page.data, null, 2)}\n`);
        return 0;
      }
      const rows = page.data.map((e) => [
        e.id,
        e.status,
        e.dataset,
        e.format,
        e.created_at,
        String(e.result?.row_count ?? e.progress.rows_written),
      ]);
      const header = ['ID', 'STATUS', 'DATASET', 'FORMAT', 'CREATED', 'ROWS'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [header, ...rows])
        io.out(
          `${r
            .map((c, i) => c.padEnd(widths[i]!))
            .join('  ')
            .trimEnd()}\n`,
        );
      return 0;
    });
  },
};
