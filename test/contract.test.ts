// The contract test: one request of every kind the suites make, on the real API, workers, PostgreSQL, Redis
// and S3 emulator; every answer's status must be documented for its operation in /openapi.json, and its JSON
// body must match the documented schema. Every documented JSON status is hit, but for a short, named list.
import request from 'supertest';
import { responseSchemas } from '@ax/api';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { signReportLink, signUnsubscribe } from '@ax/storage';
import { createHarness, TEST_LINK_SECRET, waitForExport, type Harness } from './support/harness';

type Responses = Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Responses }>> };

/** Statuses the document names that this test cannot provoke on a healthy system; each is tested elsewhere. */
const NOT_PROVOKED: Record<string, string> = {
  'createExport 503': 'Redis down: test/chaos-redis.test.ts',
  'runSchedule 503': 'Redis down: test/chaos-redis.test.ts',
  'getReadiness 503': 'a dependency down: test/ops-connections.test.ts',
  'getMetrics 200': 'served only with a metrics registry: test/ops-metrics.test.ts',
  'createSchedule 422': 'limit_reached past SCHEDULES_PER_PUBLISHER: test/schedules-limits.test.ts',
  'runSchedule 429': 'rate_limited past REPORT_MANUAL_RUNS_PER_DAY: test/schedules-limits.test.ts',
};

let h: Harness;
let doc: Doc;
let admin: string;
let pubA: string;
let pubB: string;
const seen = new Set<string>();
const problems: string[] = [];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const routes = () =>
  Object.entries(doc.paths).flatMap(([template, ops]) =>
    // A path item's `servers` (the ops port's /metrics) is not an operation.
    Object.entries(ops)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, op]) => ({
        method,
        op,
        re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
      })),
  );

/** Checks one answer against the document and records its (operation, status). */
function check(method: string, path: string, res: request.Response): request.Response {
  const route = routes().find((r) => r.method === method && r.re.test(path.split('?')[0]!));
  if (!route) {
    problems.push(`${method.toUpperCase()} ${path}: no such operation in the document`);
    return res;
  }
  const key = `${route.op.operationId} ${res.status}`;
  seen.add(key);
  const documented = route.op.responses[String(res.status)];
  if (!documented) {
    problems.push(`${key}: status not documented (${JSON.stringify(res.body)})`);
    return res;
  }
  const ref = documented.content?.['application/json']?.schema?.$ref;
  if (ref) {
    const name = ref.split('/').pop() as keyof typeof responseSchemas;
    const parsed = responseSchemas[name].safeParse(res.body);
    if (!parsed.success)
      problems.push(`${key}: body does not match ${name}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  } else if (
    documented.content &&
    res.headers['content-type'] &&
    !Object.keys(documented.content).some((t) => res.headers['content-type']!.startsWith(t))
  ) {
    problems.push(`${key}: content-type ${res.headers['content-type']} not documented`);
  }
  return res;
}

type Opts = { token?: string; cookie?: string; csrf?: boolean; body?: unknown; headers?: Record<string, string> };
async function call(method: 'get' | 'post' | 'patch' | 'delete', path: string, o: Opts = {}) {
  let req = request(h.app)[method](path);
  if (o.token) req = req.set('Authorization', `Bearer ${o.token}`);
  if (o.cookie) req = req.set('Cookie', o.cookie);
  if (o.csrf) req = req.set('X-Requested-With', 'ax-web');
  for (const [k, v] of Object.entries(o.headers ?? {})) req = req.set(k, v);
  const res = o.body === undefined ? await req : await req.send(o.body as object);
  return check(method, path, res);
}

beforeAll(async () => {
  h = await createHarness('contract', { activeExports: 2 });
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  pubB = await apiKey(h.db.sql, 'publisher', 'pub-b');
  doc = (await request(h.app).get('/openapi.json')).body as Doc;
});
afterAll(() => h.close());

const range = { from: isoDay(daysAgo(7)), to: isoDay(daysAgo(0)) };
const exportBody = { dataset: 'install_events', format: 'csv', ...range };
const scheduleBody = { dataset: 'install_events', format: 'csv', frequency: 'weekly', recipients: ['ops@example.com'] };
const lastMonday = () => {
  const d = daysAgo(7, 0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return isoDay(d);
};

async function runExportId(scheduleId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const runs = await request(h.app).get(`/v1/schedules/${scheduleId}/runs`).set('Authorization', `Bearer ${pubA}`);
    const exportId = runs.body.data[0]?.export_id as string | null | undefined;
    if (exportId) return exportId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the backfill run got no export');
}

it('every answer matches its documented schema, for every documented status', async () => {
  // Sessions and lookups.
  const signIn = await call('post', '/v1/sessions', { body: { token: pubA } });
  const cookie = (signIn.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  await call('post', '/v1/sessions', { body: { nope: 1 } });
  await call('post', '/v1/sessions', { body: { token: 'axk_unknown' } });
  await call('get', '/v1/me', { cookie });
  await call('get', '/v1/me');
  await call('get', '/v1/packages', { token: pubA });
  await call('get', '/v1/packages');
  await call('get', '/v1/packages?colour=red', { token: admin });
  await call('get', '/v1/packages?publisher_id=pub-b', { token: pubA });
  await call('get', '/v1/publishers', { token: admin });
  await call('get', '/v1/publishers', { token: pubA });
  await call('get', '/v1/publishers');
  await call('get', '/v1/datasets', { token: pubA });
  await call('get', '/v1/datasets');
  await call('get', '/v1/retention', { token: pubA });
  await call('get', '/v1/retention');

  // Exports, with no worker yet: queued ones, the active limit, cancelling.
  const first = await call('post', '/v1/exports', {
    token: pubA,
    body: exportBody,
    headers: { 'Idempotency-Key': 'k1' },
  });
  await call('post', '/v1/exports', {
    token: pubA,
    body: { ...exportBody, format: 'json' },
    headers: { 'Idempotency-Key': 'k1' },
  });
  await call('get', `/v1/exports/${first.body.id}/download`, { token: pubA });
  const second = await call('post', '/v1/exports', { cookie, csrf: true, body: exportBody });
  await call('post', '/v1/exports', { token: pubA, body: exportBody });
  await call('delete', `/v1/exports/${second.body.id}`, { cookie });
  await call('delete', `/v1/exports/${second.body.id}`, { token: pubA });
  await call('delete', `/v1/exports/${second.body.id}`, { token: pubA });
  await call('delete', `/v1/exports/${second.body.id}`);
  await call('delete', `/v1/exports/${second.body.id}`, { token: pubB });
  await call('post', '/v1/exports', { token: pubA, body: { ...exportBody, format: 'xml', colour: 1 } });
  await call('post', '/v1/exports', { token: pubA, body: { ...exportBody, dataset: 'marketplace_summary' } });
  await call('post', '/v1/exports', { token: pubA, body: { ...exportBody, filters: { package_ids: ['pkg-b1'] } } });
  await call('post', '/v1/exports', { token: pubA, body: { ...exportBody, from: '2001-01-01' } });
  await call('post', '/v1/exports');
  await call('get', `/v1/exports?cursor=${second.body.id}&status=nope`, { token: pubA });
  await call('get', '/v1/exports');
  await call('get', `/v1/exports/${first.body.id}`, { token: pubB });
  await call('get', `/v1/exports/${first.body.id}`);
  await call('get', `/v1/exports/${first.body.id}/download`);

  await h.startWorker();
  await h.startReportsWorker();
  await waitForExport(h.app, pubA, first.body.id);
  await call('get', `/v1/exports/${first.body.id}`, { token: pubA });
  await call('get', '/v1/exports', { token: pubA });
  await call('get', `/v1/exports/${first.body.id}/download`, { token: pubA });
  await call('get', `/v1/exports/${first.body.id}/download`, { token: pubB });
  await call('get', `/v1/exports/${first.body.id}/json`, { token: pubA });
  await call('get', `/v1/exports/${first.body.id}/json`, { token: pubB });
  await call('get', `/v1/exports/${first.body.id}/json`);
  const json = await call('post', '/v1/exports', {
    token: pubA,
    body: { ...exportBody, format: 'json', granularity: 'week', compression: 'gzip' },
  });
  await waitForExport(h.app, pubA, json.body.id);
  const file = await call('get', `/v1/exports/${json.body.id}/json`, { token: pubA });
  expect(file.headers['content-encoding']).toBe('gzip');
  expect(file.body.periods.length).toBeGreaterThan(0);

  // Schedules and runs.
  const schedule = await call('post', '/v1/schedules', { token: pubA, body: scheduleBody });
  const id = schedule.body.id as string;
  await call('post', '/v1/schedules', { token: pubA, body: { ...scheduleBody, recipients: ['nope'] } });
  await call('post', '/v1/schedules', { token: pubA, body: { ...scheduleBody, dataset: 'leaderboard_history' } });
  await call('post', '/v1/schedules', { token: pubA, body: { ...scheduleBody, filters: { package_ids: ['pkg-b1'] } } });
  await call('post', '/v1/schedules', { body: scheduleBody });
  await call('get', '/v1/schedules', { token: pubA });
  const preview = await call('post', '/v1/schedules/preview-email', {
    token: pubA,
    body: { dataset: 'install_events', format: 'csv', frequency: 'weekly', name: 'Weekly' },
  });
  // The dataset and period head the subject; the schedule's name comes last.
  expect(preview.body.subject).toMatch(/^Installs, .*· Weekly$/);
  await call('post', '/v1/schedules/preview-email', {
    token: pubA,
    body: { dataset: 'install_events', format: 'csv', frequency: 'daily' },
  });
  await call('post', '/v1/schedules/preview-email', {
    cookie,
    body: { dataset: 'install_events', format: 'csv', frequency: 'weekly' },
  });
  await call('post', '/v1/schedules/preview-email', { body: {} });
  await call('get', '/v1/schedules?limit=0', { token: pubA });
  await call('get', '/v1/schedules');
  await call('get', `/v1/schedules/${id}`, { token: pubA });
  await call('get', `/v1/schedules/${id}`, { token: pubB });
  await call('get', `/v1/schedules/${id}`);
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { paused: true } });
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { frequency: 'hourly' } });
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { dataset: 'marketplace_summary' } });
  await call('patch', `/v1/schedules/${id}`, { token: pubB, body: { paused: false } });
  await call('patch', `/v1/schedules/${id}`, { body: { paused: false } });
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { paused: false } });
  const run = await call('post', `/v1/schedules/${id}/runs`, { token: pubA, body: { period_start: lastMonday() } });
  expect(run.status).toBe(202);
  await call('post', `/v1/schedules/${id}/runs`, { token: pubA, body: { period_start: lastMonday() } });
  await call('post', `/v1/schedules/${id}/runs`, { cookie, body: { period_start: lastMonday() } });
  await call('post', `/v1/schedules/${id}/runs`, { token: pubA, body: { period_start: 'soon' } });
  await call('post', `/v1/schedules/${id}/runs`, { token: pubA, body: { period_start: isoDay(daysAgo(-14)) } });
  await call('post', `/v1/schedules/${id}/runs`, { token: pubB, body: { period_start: lastMonday() } });
  await call('post', `/v1/schedules/${id}/runs`, { body: { period_start: lastMonday() } });
  await call('get', `/v1/schedules/${id}/runs`, { token: pubA });
  await call('get', `/v1/schedules/${id}/runs`, { token: pubB });
  await call('get', `/v1/schedules/${id}/runs`);
  await call('get', '/v1/report-links/not-a-token');
  await waitForExport(h.app, pubA, await runExportId(id));
  // Links are per delivery; a delivery's link works once it was sent (recorded here if the worker has not yet).
  const [delivery] = await h.db.sql<{ id: string }[]>`
    update app.deliveries d set status = 'sent', sent_at = coalesce(d.sent_at, now()) from app.schedule_runs r
    where r.id = d.run_id and r.schedule_id = ${id} returning d.id`;
  const link = `/v1/report-links/${signReportLink(TEST_LINK_SECRET, delivery!.id, new Date(Date.now() + 864e5))}`;
  await call('get', link);
  // Unsubscribing: the page, the one-click POST, the owner adding the address back, Undo.
  const unsubscribe = `/v1/unsubscribe/${signUnsubscribe(TEST_LINK_SECRET, id, scheduleBody.recipients[0]!)}`;
  await call('get', unsubscribe);
  await call('get', `${unsubscribe}x`);
  await call('post', unsubscribe);
  await call('post', `${unsubscribe}x`);
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { recipients: ['other@example.com'] } });
  await call('patch', `/v1/schedules/${id}`, { token: pubA, body: { recipients: scheduleBody.recipients } });
  await call('post', `${unsubscribe}/undo`);
  await call('post', `${unsubscribe}x/undo`);
  await call('delete', `/v1/schedules/${id}`, { cookie });
  await call('delete', `/v1/schedules/${id}`, { token: pubB });
  await call('delete', `/v1/schedules/${id}`);
  await call('delete', `/v1/schedules/${id}`, { token: pubA });
  await call('get', link);
  await call('get', unsubscribe);
  await call('post', unsubscribe);
  await call('post', `${unsubscribe}/undo`);

  // An expired export file: the download is gone (410 `expired`).
  await h.db.sql`update app.exports set status = 'expired' where id = ${json.body.id}`;
  await call('get', `/v1/exports/${json.body.id}/download`, { token: pubA });

  // API keys (admins): list, revoke.
  await call('get', '/v1/api-keys', { token: admin });
  await call('get', '/v1/api-keys', { token: pubA });
  await call('get', '/v1/api-keys');
  await apiKey(h.db.sql, 'publisher', 'pub-b');
  const [spare] = await h.db.sql<{ id: string }[]>`select id from app.api_keys order by created_at desc limit 1`;
  await call('delete', `/v1/api-keys/${spare!.id}`, { token: pubA });
  await call('delete', `/v1/api-keys/${spare!.id}`);
  await call('delete', '/v1/api-keys/00000000-0000-4000-8000-000000000000', { token: admin });
  await call('delete', `/v1/api-keys/${spare!.id}`, { token: admin });

  // Operations, the dashboard, signing out.
  await call('get', '/healthz');
  await call('get', '/readyz');
  await call('get', '/openapi.json');
  await call('get', '/docs');
  await call('get', '/admin/queues', { token: admin });
  await call('get', '/admin/queues', { token: pubA });
  await call('get', '/admin/queues');
  await call('get', '/admin/queues', { headers: { Accept: 'text/html' } });
  await call('delete', '/v1/sessions/current', { cookie });
  await call('delete', '/v1/sessions/current', { cookie, csrf: true });

  expect(problems).toEqual([]);
  const documented = routes().flatMap(({ op }) => Object.keys(op.responses).map((s) => `${op.operationId} ${s}`));
  const missed = documented.filter((k) => !seen.has(k) && !NOT_PROVOKED[k]);
  expect(missed).toEqual([]);
  // The exemptions are real statuses of the document, not stale names.
  for (const k of Object.keys(NOT_PROVOKED)) expect(documented).toContain(k);
});
