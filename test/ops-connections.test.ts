// Connections: the API fails fast with 503 + Retry-After when its Redis is unreachable (a producer pointed at
// a closed port; the shared Redis stays up), a Redis Cluster hash-tag prefix works end to end, and export
// queries read ANALYTICS_DATABASE_URL while control tables stay on DATABASE_URL.
import { Redis } from 'ioredis';
import request from 'supertest';
import { buildApp } from '@ax/api';
import { loadConfig, redisEnv } from '@ax/config';
import { duePeriods } from '@ax/datasets';
import { createQueues, producerConnection } from '@ax/jobs';
import { createLogger } from '@ax/runtime';
import {
  REDIS_URL,
  apiKey,
  basicMarketplace,
  createTestDatabase,
  daysAgo,
  isoDay,
  TEST_RETENTION_MONTHS,
  testStorage,
  uniquePrefix,
  type TestDb,
} from '@ax/testing';
import { createHarness, waitForExport, type Harness } from './support/harness';
import { download } from './support/export-client';

describe('Redis unreachable from the API', () => {
  let db: TestDb;
  let app: ReturnType<typeof buildApp>;
  let close: () => Promise<void>;
  let pubA: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await basicMarketplace(db.sql);
    pubA = await apiKey(db.sql, 'publisher', 'pub-a');
    const redis = producerConnection('redis://127.0.0.1:1');
    const queues = createQueues(redis, uniquePrefix('down'));
    app = buildApp({
      sql: db.sql,
      redis,
      queues,
      storage: await testStorage(),
      logger: createLogger('test', 'silent'),
      reports: { linkSecret: 'test-link-signing-secret-0123456789', recipientDomains: [] },
      retentionMonths: TEST_RETENTION_MONTHS,
    });
    close = async () => {
      await queues.close().catch(() => {});
      redis.disconnect();
      await db.drop();
    };
  });
  afterAll(() => close());

  const auth = { Authorization: '' };
  beforeEach(() => (auth.Authorization = `Bearer ${pubA}`));

  it('answers POST /v1/exports with 503 and Retry-After, creating nothing', async () => {
    const res = await request(app)
      .post('/v1/exports')
      .set(auth)
      .send({ dataset: 'install_events', format: 'csv', from: isoDay(daysAgo(3)), to: isoDay(daysAgo(1)) });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.code).toBe('service_unavailable');
    expect((await db.sql`select count(*)::int as n from app.exports`)[0]!.n).toBe(0);
  });

  it('keeps a new schedule (PostgreSQL is the record) but refuses a backfill with 503', async () => {
    const created = await request(app)
      .post('/v1/schedules')
      .set(auth)
      .send({ dataset: 'install_events', format: 'csv', frequency: 'weekly', recipients: ['ops@example.com'] });
    expect(created.status).toBe(201);
    const week = duePeriods('weekly', 'UTC', new Date(), 1)[0]!;
    const res = await request(app)
      .post(`/v1/schedules/${created.body.id}/runs`)
      .set(auth)
      .send({ period_start: week.startDate });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect((await db.sql`select count(*)::int as n from app.schedule_runs`)[0]!.n).toBe(0);
    expect((await db.sql`select count(*)::int as n from app.exports`)[0]!.n).toBe(0);
  });

  it('reports not ready on /readyz, naming Redis, while liveness stays up', async () => {
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({ status: 'unavailable', checks: { postgres: true, redis: false, s3: true } });
    expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

describe('a Redis Cluster hash-tag queue prefix', () => {
  let h: Harness;
  const prefix = `{${uniquePrefix('hash')}}`;

  beforeAll(async () => {
    h = await createHarness('hash', { prefix });
    await basicMarketplace(h.db.sql);
    await h.db.sql`
      insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
      values ('pkg-a1', '1.0.0', 't1', 'eu-west', 'DE', ${daysAgo(2)})`;
    await h.startWorker();
  });
  afterAll(() => h.close());

  it('is accepted by the config and carries a full export, every key inside the hash tag', async () => {
    expect(loadConfig(redisEnv, { QUEUE_PREFIX: prefix }).QUEUE_PREFIX).toBe(prefix);
    expect(loadConfig(redisEnv, { QUEUE_PREFIX: '{ax}' }).QUEUE_PREFIX).toBe('{ax}');
    const admin = await apiKey(h.db.sql, 'admin');
    const res = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ dataset: 'install_events', format: 'csv', from: isoDay(daysAgo(3)), to: isoDay(daysAgo(0)) });
    expect(res.status).toBe(202);
    const done = await waitForExport(h.app, admin, res.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.result.row_count).toBe(1);

    const client = new Redis(REDIS_URL);
    const [tagged, bare] = await Promise.all([
      client.keys(`${prefix}:*`),
      client.keys(`${prefix.slice(1, -1)}*`),
    ]).finally(() => client.disconnect());
    // Every key shares the tag (one cluster slot); none was written under the prefix without its braces.
    expect(tagged).toEqual(expect.arrayContaining([`${prefix}:exports:completed`, `${prefix}:exports:id`]));
    expect(bare).toEqual([]);
    expect(await h.queues.exports.getJobCounts('completed')).toEqual({ completed: 1 });
  });
});

describe('ANALYTICS_DATABASE_URL', () => {
  let h: Harness;
  let analytics: TestDb;
  let admin: string;
  const day = daysAgo(2, 0);
  const at = (hours: number) => new Date(day.getTime() + hours * 3600_000);

  beforeAll(async () => {
    h = await createHarness('replica');
    analytics = await createTestDatabase();
    // The replica mirrors the catalogue; the install rows differ so the test can tell which database was read.
    for (const sql of [h.db.sql, analytics.sql]) await basicMarketplace(sql);
    await h.db.sql`
      insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
      values ('pkg-a1', 'control-db', 't1', 'eu-west', 'DE', ${at(1)})`;
    await analytics.sql`
      insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date) values
        ('pkg-a1', 'analytics-db', 't1', 'eu-west', 'DE', ${at(1)}),
        ('pkg-b1', 'analytics-db', 't2', 'us-east', 'US', ${at(2)})`;
    admin = await apiKey(h.db.sql, 'admin');
    await h.startWorker({ analyticsUrl: analytics.url });
  });
  afterAll(async () => {
    await h.close();
    await analytics.drop();
  });

  const exportOf = async (format: 'csv' | 'json') => {
    const res = await request(h.app)
      .post('/v1/exports')
      .set('Authorization', `Bearer ${admin}`)
      .send({ dataset: 'install_events', format, from: isoDay(day), to: isoDay(daysAgo(-1, 0)) });
    expect(res.status).toBe(202);
    const done = await waitForExport(h.app, admin, res.body.id);
    expect(done.status).toBe('succeeded');
    return { done, text: (await download(h, admin, res.body.id)).toString('utf8') };
  };

  it('streams CSV rows from the analytics database, while the export row lives in the control database', async () => {
    const { done, text } = await exportOf('csv');
    expect(text).toContain('pkg-a1,analytics-db,eu-west');
    expect(text).toContain('pkg-b1,analytics-db,us-east');
    expect(text).not.toContain('control-db');
    expect(done.result.row_count).toBe(2);
    expect((await h.db.sql`select status from app.exports where id = ${done.id}`)[0]!.status).toBe('succeeded');
    expect(await analytics.sql`select id from app.exports`).toHaveLength(0);
  });

  it('aggregates JSON from the analytics database too', async () => {
    const { text } = await exportOf('json');
    const doc = JSON.parse(text) as { periods: { period_start: string; metrics: { install_count: number } }[] };
    expect(doc.periods.find((p) => p.period_start === isoDay(day))!.metrics.install_count).toBe(2);
  });
});
