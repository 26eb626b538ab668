// /metrics on the API and on the worker's ops port, scraped around a real export; queue depth sampled
// from Redis at scrape time, and scrapes that still answer when Redis is unreachable.
import request from 'supertest';
import { queueDepthSource } from '@ax/jobs';
import { createMetrics, startOpsServer, type OpsServer } from '@ax/runtime';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, waitForExport, type Harness } from './support/harness';
import { sampleValue } from './support/prometheus';

let h: Harness;
let admin: string;
const apiMetrics = createMetrics('api');
const workerMetrics = createMetrics('export-worker');
let ops: OpsServer;
let apiOps: OpsServer;
let workerReady = true;

beforeAll(async () => {
  h = await createHarness('met', { metrics: apiMetrics });
  await basicMarketplace(h.db.sql);
  const day = daysAgo(2, 0);
  await h.db.sql`
    insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
      ('pkg-a1', '1.0.0', 't1', 'eu-west', 'DE', ${new Date(day.getTime() + 3600_000)}),
      ('pkg-a2', '2.0.0', 't2', 'us-east', 'US', ${new Date(day.getTime() + 7200_000)})`;
  admin = await apiKey(h.db.sql, 'admin');
  workerMetrics.addQueueDepthSource(queueDepthSource(h.queues));
  ops = await startOpsServer({ metrics: workerMetrics, port: 0, ready: () => ({ worker: workerReady, redis: true }) });
  // The API serves its metrics on an ops port of its own (METRICS_PORT), as main.ts does, not on the API port.
  apiOps = await startOpsServer({ metrics: apiMetrics, port: 0, ready: () => true });
});
afterAll(async () => {
  await apiOps.close();
  await ops.close();
  await h.close();
});

const scrapeApi = async () => {
  const res = await fetch(`http://127.0.0.1:${apiOps.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};
const scrapeWorker = async () => {
  const res = await fetch(`http://127.0.0.1:${ops.port}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

describe('metrics around an export', () => {
  it('shows the queued job as waiting, then the finished export in the counters and the queue gauges', async () => {
    const body = { dataset: 'install_events', format: 'csv', from: isoDay(daysAgo(3, 0)), to: isoDay(daysAgo(0, 0)) };
    const created = await request(h.app).post('/v1/exports').set('Authorization', `Bearer ${admin}`).send(body);
    expect(created.status).toBe(202);

    // No worker yet: the job waits, and both processes see it at scrape time.
    let api = await scrapeApi();
    expect(sampleValue(api, 'ax_queue_jobs', { queue: 'exports', state: 'waiting', service: 'api' })).toBe(1);
    expect(sampleValue(api, 'ax_queue_jobs', { queue: 'reports', state: 'waiting' })).toBe(0);
    expect(sampleValue(api, 'ax_queue_depth_up')).toBe(1);
    expect(
      sampleValue(await scrapeWorker(), 'ax_queue_jobs', {
        queue: 'exports',
        state: 'waiting',
        service: 'export-worker',
      }),
    ).toBe(1);

    await h.startWorker({ metrics: workerMetrics });
    const done = await waitForExport(h.app, admin, created.body.id);
    expect(done.status).toBe('succeeded');

    api = await scrapeApi();
    expect(sampleValue(api, 'ax_queue_jobs', { queue: 'exports', state: 'waiting' })).toBe(0);
    expect(sampleValue(api, 'ax_queue_jobs', { queue: 'exports', state: 'completed' })).toBe(1);
    expect(
      sampleValue(api, 'ax_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/exports/',
        status: '202',
      }),
    ).toBe(1);
    expect(sampleValue(api, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(api, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    const worker = await scrapeWorker();
    expect(
      sampleValue(worker, 'ax_exports_total', { dataset: 'install_events', format: 'csv', outcome: 'succeeded' }),
    ).toBe(1);
    expect(sampleValue(worker, 'ax_export_rows_written_total', { dataset: 'install_events' })).toBe(2);
    expect(sampleValue(worker, 'ax_export_bytes_written_total', { dataset: 'install_events' })).toBe(done.result.bytes);
    expect(
      sampleValue(worker, 'ax_job_duration_seconds_count', {
        queue: 'exports',
        name: 'export.run',
        outcome: 'completed',
      }),
    ).toBe(1);
    expect(sampleValue(worker, 'ax_queue_jobs', { queue: 'exports', state: 'completed' })).toBe(1);
    expect(sampleValue(worker, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('ops server', () => {
  it('answers /healthz, and /readyz with 503 and the failing check when not ready', async () => {
    const base = `http://127.0.0.1:${ops.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { worker: true, redis: true } });
    workerReady = false;
    const notReady = await fetch(`${base}/readyz`);
    workerReady = true;
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('retry-after')).toBe('5');
    expect(await notReady.json()).toEqual({ status: 'unavailable', checks: { worker: false, redis: true } });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});

describe('scrapes while Redis is unreachable', () => {
  it('still answer, without queue samples and with ax_queue_depth_up 0', async () => {
    // Plain fakes for the two ways Redis being away shows up: a producer connection (no offline queue) fails
    // at once; a worker connection (retrying forever) leaves the call pending, which only the timeout ends.
    // (Real connections to a closed port left handles behind in jest workers; ops-connections.test.ts covers
    // the API's real producer against a closed port.)
    const metrics = createMetrics('down', { queueSampleTimeoutMs: 300 });
    metrics.addQueueDepthSource(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')));
    metrics.addQueueDepthSource(() => new Promise(() => {}));
    const server = await startOpsServer({ metrics, port: 0, ready: () => false });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(sampleValue(text, 'ax_queue_depth_up')).toBe(0);
      expect(text).not.toMatch(/^ax_queue_jobs\{/m);
      // The process metrics are still collected. (Not its CPU counter: that counts from the registry's creation a
      // moment ago, and the kernel's tick-based accounting can leave it at 0 on a busy machine.)
      expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sampleValue(text, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    } finally {
      await server.close();
    }
  });
});
