// `pnpm cli exports create|list` end to end: the CLI runs as a child process against a listening API with a
// real worker, through the same HTTP path as any client.
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, fetchBytes, listen, waitForExport, type Harness } from './support/harness';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let h: Harness;
let server: Server;
let base: string;
let admin: string;
let pubA: string;
const day = daysAgo(2, 0);

type Run = { code: number; stdout: string; stderr: string };
const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      TSX,
      ['--conditions=source', 'packages/cli/src/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  h = await createHarness('cli');
  await basicMarketplace(h.db.sql);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select case when i % 2 = 0 then 'pkg-a1' else 'pkg-b1' end, '1.0.' || i, 't' || i, 'eu-west', 'DE', ${day}::timestamptz + i * interval '1 minute'
    from generate_series(1, 500) i`;
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  ({ server, base } = await listen(h.app));
  await h.startWorker();
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await h.close();
});

const range = ['--from', isoDay(day), '--to', isoDay(daysAgo(0, 0))];

describe('exports create', () => {
  it('--wait shows progress on stderr and prints only the download URL on stdout', async () => {
    const run = await cli(
      ['exports', 'create', '--dataset', 'install_events', '--format', 'csv', ...range, '--wait', '--api-url', base],
      { AX_API_TOKEN: admin },
    );
    expect(run.stderr).toMatch(/^export [0-9a-f-]{36} queued$/m);
    expect(run.stderr).toMatch(/^install_events csv: (queued|running), \d+ rows written$/m);
    expect(run.stderr).toMatch(/^export [0-9a-f-]{36} succeeded: 500 rows, \d+ bytes/m);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:4568\/.+X-Amz-Signature=/);
    const csv = (await fetchBytes(lines[0]!)).toString('utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toBe('package_id,version,tenant_region,install_date');
    expect(csv).toHaveLength(501);
  });

  it('scopes an admin export to one publisher with --publisher-id, gzip and a time zone', async () => {
    const run = await cli([
      'exports',
      'create',
      '--dataset',
      'install_events',
      '--format',
      'csv',
      ...range,
      '--publisher-id',
      'pub-a',
      '--compression',
      'gzip',
      '--timezone',
      'Europe/Berlin',
      '--wait',
      '--token',
      admin,
      '--api-url',
      base,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/succeeded: 250 rows/);
    const id = /export ([0-9a-f-]{36}) succeeded/.exec(run.stderr)![1]!;
    const row = (
      await h.db.sql`select scope_publisher_id, compression, timezone from app.exports where id = ${id}`
    )[0]!;
    expect(row).toEqual({ scope_publisher_id: 'pub-a', compression: 'gzip', timezone: 'Europe/Berlin' });
  });

  it('without --wait prints the export id, and a publisher key only exports its own packages', async () => {
    const run = await cli(
      [
        'exports',
        'create',
        '--dataset',
        'install_events',
        '--format',
        'json',
        ...range,
        '--granularity',
        'week',
        '--api-url',
        base,
      ],
      { AX_API_TOKEN: pubA },
    );
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row = (
      await h.db.sql`select scope_publisher_id, owner_publisher_id, granularity from app.exports where id = ${id}`
    )[0]!;
    expect(row).toEqual({ scope_publisher_id: 'pub-a', owner_publisher_id: 'pub-a', granularity: 'week' });
    expect((await waitForExport(h.app, pubA, id)).status).toBe('succeeded');
  });

  it("shows the API's refusals field by field, exiting 1 with nothing on stdout", async () => {
    const before = (await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n;
    const bad = await cli(['exports', 'create', '--dataset', 'nope', '--format', 'xml', ...range, '--api-url', base], {
      AX_API_TOKEN: admin,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error: The request is invalid\. \(400 invalid_request\)$/m);
    expect(bad.stderr).toMatch(/^ {2}dataset: /m);
    expect(bad.stderr).toMatch(/^ {2}format: /m);

    const publisherFilter = await cli(
      [
        'exports',
        'create',
        '--dataset',
        'install_events',
        '--format',
        'csv',
        ...range,
        '--publisher-id',
        'pub-b',
        '--api-url',
        base,
      ],
      { AX_API_TOKEN: pubA },
    );
    expect(publisherFilter.code).toBe(1);
    expect(publisherFilter.stderr).toMatch(/filters\.publisher_id: Only admins/);

    const adminOnly = await cli(
      ['exports', 'create', '--dataset', 'marketplace_summary', '--format', 'csv', ...range, '--api-url', base],
      { AX_API_TOKEN: pubA },
    );
    expect(adminOnly.code).toBe(1);
    expect(adminOnly.stderr).toMatch(/\(403 forbidden\)/);
    expect((await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n).toBe(before);
  });

  it('refuses to run without a token or a required option (usage error, exit 2), and says when the API is unreachable', async () => {
    const noToken = await cli([
      'exports',
      'create',
      '--dataset',
      'install_events',
      '--format',
      'csv',
      ...range,
      '--api-url',
      base,
    ]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/AX_API_TOKEN/);
    const noFrom = await cli(
      ['exports', 'create', '--dataset', 'install_events', '--format', 'csv', '--to', '2026-01-01', '--api-url', base],
      { AX_API_TOKEN: admin },
    );
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/--from is required/);
    const down = await cli(
      [
        'exports',
        'create',
        '--dataset',
        'install_events',
        '--format',
        'csv',
        ...range,
        '--api-url',
        'http://127.0.0.1:1',
      ],
      { AX_API_TOKEN: admin },
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:1/);
  });

  it('has --help', async () => {
    const help = await cli(['exports', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--wait/);
  });
});

describe('exports list', () => {
  it("lists the caller's exports newest first, filtered by status and dataset, as a table or JSON", async () => {
    const table = await cli(['exports', 'list', '--status', 'succeeded', '--limit', '10', '--api-url', base], {
      AX_API_TOKEN: admin,
    });
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID +STATUS +DATASET +FORMAT +CREATED +ROWS$/);
    // The admin sees the publisher's JSON export too, newest first.
    const cells = lines.slice(1).map((l) => l.split(/ +/));
    expect(cells.map((c) => c.slice(1, 4))).toEqual([
      ['succeeded', 'install_events', 'json'],
      ['succeeded', 'install_events', 'csv'],
      ['succeeded', 'install_events', 'csv'],
    ]);
    expect(cells.slice(1).map((c) => c[5])).toEqual(['250', '500']);

    const json = await cli(
      ['exports', 'list', '--dataset', 'install_events', '--json', '--limit', '1', '--api-url', base],
      { AX_API_TOKEN: pubA },
    );
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout) as { dataset: string; format: string }[];
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ dataset: 'install_events', format: 'json' });

    const bad = await cli(['exports', 'list', '--status', 'lost', '--api-url', base], { AX_API_TOKEN: admin });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ {2}status: /m);
  });
});
