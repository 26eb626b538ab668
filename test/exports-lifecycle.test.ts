// The export API beyond the happy path: idempotency, listing, cancellation, progress, limits, retries,
// permanent failures and the watchdog — on real PostgreSQL, Redis and S3.
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { UnrecoverableError, Worker } from 'bullmq';
import request from 'supertest';
import { retentionCutoff } from '@ax/retention';
import { workerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import { exportFile, exportKey } from '@ax/storage';
import { sweepStalledExports } from '@ax/export-worker';
import { apiKey, basicMarketplace, daysAgo, isoDay, TEST_RETENTION_MONTHS } from '@ax/testing';
import { createHarness, waitForExport, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;
let pubB: string;
const from = isoDay(daysAgo(20, 0));
const to = isoDay(daysAgo(-1, 0));
const body = (extra: object = {}) => ({ dataset: 'install_events', format: 'csv', from, to, ...extra });

beforeAll(async () => {
  h = await createHarness('life', { activeExports: 30 });
  await basicMarketplace(h.db.sql);
  // Enough rows that an export runs for a while (progress, cancellation, retries).
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
    select (array['pkg-a1','pkg-a2','pkg-b1'])[1 + g % 3], '1.0.' || (g % 7), 't' || (g % 999), 'eu-west', 'DE',
           now() - interval '19 days' + (g::float8 / 600000) * interval '18 days'
    from generate_series(1, 600000) g`;
  await h.db.sql`analyze analytics.install_events`;
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  pubB = await apiKey(h.db.sql, 'publisher', 'pub-b');
});
afterAll(() => h.close());

const post = (token: string, b: object, headers: Record<string, string> = {}) =>
  request(h.app).post('/v1/exports').set('Authorization', `Bearer ${token}`).set(headers).send(b);
const get = (token: string, path: string) => request(h.app).get(path).set('Authorization', `Bearer ${token}`);
const exportCount = async () => (await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n as number;

async function objectExists(key: string): Promise<boolean> {
  try {
    await h.storage.client.send(new HeadObjectCommand({ Bucket: h.storage.bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

describe('with no worker running', () => {
  it('Idempotency-Key: same key and body → same export; other body → 409; other caller → own export', async () => {
    const key = `idem-${Date.now()}`;
    const first = await post(pubA, body(), { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    const before = await exportCount();
    const again = await post(pubA, body(), { 'Idempotency-Key': key });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await exportCount()).toBe(before);
    const other = await post(pubA, body({ format: 'json' }), { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const otherCaller = await post(pubB, body(), { 'Idempotency-Key': key });
    expect(otherCaller.status).toBe(202);
    expect(otherCaller.body.id).not.toBe(first.body.id);
  });

  it('concurrent requests with one Idempotency-Key create one export', async () => {
    const key = `race-${Date.now()}`;
    const before = await exportCount();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(pubA, body({ granularity: 'week' }), { 'Idempotency-Key': key })),
    );
    const ids = new Set(results.map((r) => r.body.id));
    expect(results.every((r) => r.status === 202 || r.status === 409)).toBe(true);
    expect(ids.size).toBeLessThanOrEqual(2); // one id, plus undefined for any 409
    expect((await h.db.sql`select count(*)::int as n from app.idempotency_keys where key = ${key}`)[0]!.n).toBe(1);
    // The requests that lost the race created nothing either (no export row left without a job).
    expect(await exportCount()).toBe(before + 1);
  });

  it('concurrent requests with one Idempotency-Key and different bodies: one export, the others 409', async () => {
    const key = `race-bodies-${Date.now()}`;
    const before = await exportCount();
    const grains = ['day', 'week', 'month', 'day', 'week', 'month'];
    const results = await Promise.all(
      grains.map((granularity) => post(pubA, body({ format: 'json', granularity }), { 'Idempotency-Key': key })),
    );
    const created = results.filter((r) => r.status === 202);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.status !== 202).every((r) => r.status === 409)).toBe(true);
    expect(await exportCount()).toBe(before + 1);
  });

  it('cancels a queued export: its job is removed and it never runs', async () => {
    const created = await post(pubA, body());
    const del = await request(h.app).delete(`/v1/exports/${created.body.id}`).set('Authorization', `Bearer ${pubA}`);
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('cancelled');
    expect(await h.queues.exports.getJob(`export-${created.body.id}`)).toBeUndefined();
    const again = await request(h.app).delete(`/v1/exports/${created.body.id}`).set('Authorization', `Bearer ${pubA}`);
    expect(again.status).toBe(409);
    const stranger = await request(h.app)
      .delete(`/v1/exports/${created.body.id}`)
      .set('Authorization', `Bearer ${pubB}`);
    expect(stranger.status).toBe(404);
  });

  it('cancelling a queued export removes an object left at its key (a run handed back while completing its upload)', async () => {
    const created = await post(pubA, body());
    const key = exportKey(
      created.body.id,
      exportFile({ dataset: 'install_events', format: 'csv', compression: 'none', from_input: from, to_input: to })
        .name,
    );
    await h.storage.client.send(new PutObjectCommand({ Bucket: h.storage.bucket, Key: key, Body: 'left behind' }));
    expect(await objectExists(key)).toBe(true);
    const del = await request(h.app).delete(`/v1/exports/${created.body.id}`).set('Authorization', `Bearer ${pubA}`);
    expect(del.body.status).toBe('cancelled');
    expect(await objectExists(key)).toBe(false);
  });

  it('lists newest first with cursor pagination and status/dataset filters, scoped to the caller', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await post(pubB, body({ compression: i % 2 ? 'gzip' : 'none' }))).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await get(pubB, `/v1/exports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((e: { id: string }) => e.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual([...mine].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const queued = await get(pubB, '/v1/exports?status=queued&dataset=install_events&limit=100');
    expect(
      queued.body.data.every(
        (e: { status: string; dataset: string }) => e.status === 'queued' && e.dataset === 'install_events',
      ),
    ).toBe(true);
    const cancelled = await get(pubB, '/v1/exports?status=cancelled');
    expect(cancelled.body.data).toEqual([]);
    const forA = await get(pubA, '/v1/exports?limit=100');
    expect(forA.body.data.some((e: { id: string }) => mine.includes(e.id))).toBe(false);
    const bad = await get(pubB, '/v1/exports?status=weird&limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'status']);
    // A cursor that is no export of the caller's would give an empty page, which reads as the end: 400 instead.
    for (const [who, cursor] of [
      [pubB, '00000000-0000-4000-8000-000000000000'],
      [pubA, mine[0]!],
    ] as const) {
      const res = await get(who, `/v1/exports?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['cursor']);
    }
  });

  it('watchdog: a queued export whose job vanished is queued again; a running one whose job failed is marked failed', async () => {
    await h.queues.exports.drain(); // earlier tests' jobs: keep the queue to what this test sets up
    const lost = await post(admin, body());
    await h.queues.exports.remove(`export-${lost.body.id}`);
    await h.db.sql`update app.exports set created_at = now() - interval '10 minutes' where id = ${lost.body.id}`;

    const stuck = await post(admin, body({ format: 'json' }));
    // Take the job as a worker would, then let it fail for good without the export row hearing of it.
    const takerConnection = workerConnection('redis://127.0.0.1:6379');
    const taker = new Worker('exports', null, { connection: takerConnection, prefix: h.prefix });
    try {
      const job = await taker.getNextJob('crashed-worker');
      expect(job?.id).toBe(`export-${stuck.body.id}`);
      await job.moveToFailed(new UnrecoverableError('simulated crash'), 'crashed-worker');
    } finally {
      await taker.close();
      takerConnection.disconnect();
    }
    expect(await h.queues.exports.getJobState(`export-${stuck.body.id}`)).toBe('failed');
    await h.db
      .sql`update app.exports set status = 'running', heartbeat_at = now() - interval '10 minutes' where id = ${stuck.body.id}`;

    const result = await sweepStalledExports(
      { sql: h.db.sql, queues: h.queues, logger: createLogger('test', 'silent') },
      60_000,
    );
    expect(result).toEqual({ requeued: 1, failed: 1 });
    expect(await h.queues.exports.getJobState(`export-${lost.body.id}`)).toBe('waiting');
    const after = (await get(admin, `/v1/exports/${stuck.body.id}`)).body;
    expect(after.status).toBe('failed');
    expect(after.error.code).toBe('stalled');
    expect(after.error.message).toContain('simulated crash');
    // A second sweep finds nothing more to do.
    expect(
      await sweepStalledExports({ sql: h.db.sql, queues: h.queues, logger: createLogger('test', 'silent') }, 60_000),
    ).toEqual({ requeued: 0, failed: 0 });
  });
});

describe('with a worker', () => {
  beforeAll(async () => {
    await h.startWorker({ concurrency: 2, progressIntervalMs: 100 });
  });

  it('shows progress while running and cancels a running export, leaving no object', async () => {
    const created = await post(admin, body());
    let running;
    for (let i = 0; i < 400; i++) {
      running = (await get(admin, `/v1/exports/${created.body.id}`)).body;
      if (running.status === 'running' && running.progress.rows_written > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(running.status).toBe('running');
    expect(running.progress.rows_written).toBeGreaterThan(0);
    const del = await request(h.app).delete(`/v1/exports/${created.body.id}`).set('Authorization', `Bearer ${admin}`);
    expect(del.status).toBe(200);
    // The worker notices at its next progress update and stops; wait until its job is no longer active.
    for (let i = 0; i < 100 && (await h.queues.exports.getJobState(`export-${created.body.id}`)) === 'active'; i++)
      await new Promise((r) => setTimeout(r, 100));
    const after = (await get(admin, `/v1/exports/${created.body.id}`)).body;
    expect(after.status).toBe('cancelled');
    expect(after.result).toBeNull();
    const [row] = await h.db.sql`select s3_key from app.exports where id = ${created.body.id}`;
    expect(row!.s3_key).toBeNull();
    const fileName = `install_events_${from}_${to}.csv`;
    expect(await objectExists(`exports/${created.body.id}/${fileName}`)).toBe(false);
  });

  it('retries after the database connection is killed mid-export and finishes once', async () => {
    // Hold the table so the export's first read of it (the slice plan's EXPLAIN or sample, or the COPY, however indented) is
    // certainly still running, waiting on the lock, when its backend is killed.
    const holder = await h.db.sql.reserve();
    let killed = 0;
    let created: request.Response;
    try {
      await holder`begin`;
      await holder`lock table analytics.install_events in access exclusive mode`;
      created = await post(admin, body());
      for (let i = 0; i < 1000 && killed === 0; i++) {
        const rows = await h.db.sql`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and query ~* '(^|;)\\s*(copy \\(|explain \\(format json\\))|tablesample' and state = 'active' and pid <> pg_backend_pid()`;
        killed = rows.length;
        if (!killed) await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await holder`commit`;
      holder.release();
    }
    expect(killed).toBeGreaterThan(0);
    const done = await waitForExport(h.app, admin, created.body.id, 60_000);
    expect(done.status).toBe('succeeded');
    expect(done.result.row_count).toBe(600000);
    const [row] = await h.db.sql`select attempts from app.exports where id = ${created.body.id}`;
    expect(row!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('fails at once with a stable code when the query cannot work', async () => {
    await h.db.sql`alter table analytics.reviews rename to reviews_gone`;
    await h.db.sql`create view analytics.reviews as select * from analytics.reviews_gone where false`;
    await h.db.sql`alter table analytics.install_events rename column tenant_region to region_renamed`;
    try {
      const created = await post(pubA, body());
      const done = await waitForExport(h.app, pubA, created.body.id);
      expect(done.status).toBe('failed');
      expect(done.error.code).toBe('query_failed');
      expect(done.error.message).toMatch(/42703/);
      const [row] = await h.db.sql`select attempts from app.exports where id = ${created.body.id}`;
      expect(row!.attempts).toBe(1);
      const del = await request(h.app).delete(`/v1/exports/${created.body.id}`).set('Authorization', `Bearer ${pubA}`);
      expect(del.status).toBe(409); // a failed export is final: nothing to cancel
      expect((await get(pubA, `/v1/exports/${created.body.id}`)).body.status).toBe('failed');
    } finally {
      await h.db.sql`alter table analytics.install_events rename column region_renamed to tenant_region`;
      await h.db.sql`drop view analytics.reviews`;
      await h.db.sql`alter table analytics.reviews_gone rename to reviews`;
    }
  });

  it('GET /v1/datasets lists what the caller may export, with the retention cutoff', async () => {
    const res = await get(pubA, '/v1/datasets');
    expect(res.status).toBe(200);
    const ie = res.body.data.find((d: { id: string }) => d.id === 'install_events');
    expect(ie).toEqual({
      id: 'install_events',
      formats: ['csv', 'json'],
      columns: ['package_id', 'version', 'tenant_region', 'install_date'],
      granularities: ['day', 'week', 'month'],
      oldest_available: retentionCutoff(new Date(), TEST_RETENTION_MONTHS),
    });
    expect(
      res.body.data.every((d: { id: string }) => !['marketplace_summary', 'leaderboard_history'].includes(d.id)),
    ).toBe(true);
    expect((await request(h.app).get('/v1/datasets')).status).toBe(401);
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After past the active export limit, creating nothing', async () => {
    const limited = await createHarness('limit', { activeExports: 2 });
    try {
      await basicMarketplace(limited.db.sql);
      const token = await apiKey(limited.db.sql, 'publisher', 'pub-a');
      const send = () => request(limited.app).post('/v1/exports').set('Authorization', `Bearer ${token}`).send(body());
      expect((await send()).status).toBe(202);
      expect((await send()).status).toBe(202);
      const third = await send();
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBeDefined();
      expect((await limited.db.sql`select count(*)::int as n from app.exports`)[0]!.n).toBe(2);
    } finally {
      await limited.close();
    }
  });
});
