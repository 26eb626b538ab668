// Production runs the compiled bundles (`pnpm build` → dist/), not the sources through tsx. This builds them into a
// temporary directory outside the repository (so nothing resolves from the repo's node_modules) and runs them on this
// Node.js against the real services: the CLI migrates an empty database, the API and both workers start and answer
// their probes, and one export goes API → export worker → S3 and downloads intact.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import {
  apiKey,
  createTestDatabase,
  REDIS_URL,
  TEST_PG_BASE,
  testStorage,
  testStorageConfig,
  uniquePrefix,
  type TestDb,
} from '@ax/testing';
import { seed } from '@ax/seed';
import { buildDist, entryPoints } from '../scripts/build';
import { eventually, freePort, killLaunched, launch, ROOT, stopProc, type Proc } from './support/private-services';
import { productionStart } from './support/package-scripts';

const out = mkdtempSync(join(tmpdir(), 'ax-dist-'));
const bundle = (name: keyof typeof entryPoints) => join(out, `${name}.js`);
let db: TestDb;
const prefix = uniquePrefix('compiled');
const env = () => ({
  DATABASE_URL: db.url,
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  ...testStorageConfig,
  S3_PRESIGN_TTL_SECONDS: '300',
  SES_ENDPOINT: 'http://127.0.0.1:8005',
  LINK_SIGNING_SECRET: 'compiled-output-test-link-secret',
  LOG_LEVEL: 'info',
  SHUTDOWN_TIMEOUT_MS: '10000',
});

beforeAll(async () => {
  await buildDist(out);
  db = await createTestDatabase();
  await testStorage();
}, 120_000);

afterAll(async () => {
  await killLaunched();
  await db?.drop();
  rmSync(out, { recursive: true, force: true });
});

async function run(p: Proc): Promise<string> {
  const { code } = await p.exited;
  if (code !== 0) throw new Error(`${p.name} exited ${code}: ${p.lines.slice(-10).join(' | ')}`);
  return p.lines.join('\n');
}

/** Starts a service's bundle as `pnpm start:<name>` does (its Node flags and environment), plus `extra`. */
async function startService(
  name: 'api' | 'export-worker' | 'retention-worker',
  extra: Record<string, string>,
  url: string,
): Promise<Proc> {
  const start = productionStart(name);
  const args = [...start.nodeFlags, bundle(`${name}/main`)];
  const proc = launch(name, process.execPath, args, { ...env(), ...start.env, ...extra });
  await eventually(
    `${name} ready`,
    async () => {
      if (!proc.running()) throw new Error(`${name} exited: ${proc.lines.slice(-10).join(' | ')}`);
      return (await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null))?.ok;
    },
    60_000,
    100,
  );
  return proc;
}

it('runs on Node.js 24 or later', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
});

it('the compiled CLI applies every SQL migration to an empty database', async () => {
  const name = `ax_test_compiled_${prefix.slice(-8)}`;
  const url = `${TEST_PG_BASE}/${name}`;
  const admin = postgres(`${TEST_PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await run(launch('cli migrate', process.execPath, [bundle('cli/main'), 'migrate'], { DATABASE_URL: url }));
    const sql = postgres(url, { max: 1 });
    try {
      const applied = (await sql<{ name: string }[]>`select name from public.schema_migrations order by name`).map(
        (r) => r.name,
      );
      expect(applied).toEqual(
        readdirSync(join(ROOT, 'packages/db/migrations'))
          .filter((f) => f.endsWith('.sql'))
          .sort(),
      );
      expect((await sql`select to_regclass('app.exports') as t`)[0]!.t).toBe('app.exports');
    } finally {
      await sql.end();
    }
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}, 60_000);

it('the compiled API and workers start, answer their probes, serve their page assets, run an export and stop cleanly', async () => {
  await seed(db.sql, { installs: 3000, reviews: 10, reputationEvents: 10, days: 20 });
  const token = await apiKey(db.sql, 'admin');
  const [apiPort, workerPort, retentionPort] = [await freePort(), await freePort(), await freePort()];
  const api = `http://127.0.0.1:${apiPort}`;
  const started = await Promise.all([
    startService('api', { PORT: String(apiPort) }, `${api}/healthz`),
    startService(
      'export-worker',
      { METRICS_PORT: String(workerPort), EXPORT_CONCURRENCY: '1' },
      `http://127.0.0.1:${workerPort}/readyz`,
    ),
    startService(
      'retention-worker',
      { METRICS_PORT: String(retentionPort) },
      `http://127.0.0.1:${retentionPort}/readyz`,
    ),
  ]);

  expect((await fetch(`${api}/readyz`)).status).toBe(200);
  // Files read from disk at run time: the Swagger UI assets and bull-board's page (an EJS view and its bundle).
  expect((await fetch(`${api}/docs/swagger-ui.css`)).status).toBe(200);
  // The web page (built by the set-up, copied into dist/web by the build).
  const signIn = await fetch(`${api}/sign-in`);
  expect(signIn.status).toBe(200);
  expect(await signIn.text()).toContain('<div id="root"');
  const board = await fetch(`${api}/admin/queues`, { headers: { Authorization: `Bearer ${token}` } });
  expect(board.status).toBe(200);
  expect(await board.text()).toContain('<html');

  const from = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const created = await fetch(`${api}/v1/exports`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ dataset: 'install_events', format: 'csv', from, to }),
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  const done = await eventually(
    'export finished',
    async () => {
      const body = (await (await fetch(`${api}/v1/exports/${id}`, { headers })).json()) as {
        status: string;
        result?: { row_count: number };
      };
      return ['queued', 'running'].includes(body.status) ? null : body;
    },
    60_000,
    200,
  );
  expect(done.status).toBe('succeeded');
  const link = await fetch(`${api}/v1/exports/${id}/download`, { headers, redirect: 'manual' });
  expect(link.status).toBe(302);
  const csv = await (await fetch(link.headers.get('location')!)).text();
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('package_id,version,tenant_region,install_date');
  const n = (
    await db.sql<
      { n: number }[]
    >`select count(*)::int as n from analytics.install_events where install_date >= ${from}::date`
  )[0]!.n;
  expect(n).toBeGreaterThan(0);
  expect({ rows: lines.length - 1, reported: done.result?.row_count }).toEqual({ rows: n, reported: n });

  for (const p of started)
    expect({ name: p.name, ...(await stopProc(p)) }).toEqual({ name: p.name, code: 143, signal: null });
  // Node 20 made the AWS SDK print NodeVersionSupportWarning at every start.
  expect(started.flatMap((p) => p.lines).filter((l) => /NodeVersionSupportWarning|Error:/.test(l))).toEqual([]);
}, 180_000);
