// The API serves the built web page (CONTRACT §6.2): its paths (and the SPA fallback) get the page with a
// strict CSP and no cache, hashed assets a year-long immutable cache, `/` goes to the page or to sign-in.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { buildApp } from '@ax/api';
import { apiKey, basicMarketplace, TEST_RETENTION_MONTHS } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
let app: ReturnType<typeof buildApp>;
let pubA: string;
let appDeps: Parameters<typeof buildApp>[0];
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

beforeAll(async () => {
  h = await createHarness('web-serve');
  await basicMarketplace(h.db.sql);
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
  const dist = mkdtempSync(join(tmpdir(), 'ax-web-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
  // The harness's app with the test's own dist: same database, Redis and storage.
  const { createLogger } = await import('@ax/runtime');
  const { producerConnection } = await import('@ax/jobs');
  const redis = producerConnection('redis://127.0.0.1:6379');
  appDeps = {
    sql: h.db.sql,
    redis,
    queues: h.queues,
    storage: h.storage,
    logger: createLogger('test', 'silent'),
    retentionMonths: TEST_RETENTION_MONTHS,
  };
  app = buildApp({ ...appDeps, webDist: dist });
  afterAllCleanups.push(() => redis.disconnect());
});
const afterAllCleanups: (() => void)[] = [];
afterAll(async () => {
  afterAllCleanups.forEach((f) => f());
  await h.close();
});

it('serves the page at every path of §6.2 and below /analytics/export, with a CSP allowing nothing inline or foreign', async () => {
  for (const path of [
    '/sign-in',
    '/analytics/export',
    '/analytics/export/scheduled-reports',
    '/analytics/export/retention',
    '/analytics/export/anything/else',
  ]) {
    const res = await request(app).get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  }
});

it('serves hashed assets with a year-long immutable cache, and 404s unknown ones', async () => {
  const res = await request(app).get('/assets/index-abc123.js');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/javascript/);
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await request(app).get('/assets/missing-zzz.js')).status).toBe(404);
});

it('sends / to sign-in without a session and to the export page with one', async () => {
  const anon = await request(app).get('/');
  expect(anon.status).toBe(302);
  expect(anon.headers.location).toBe('/sign-in');
  const signIn = await request(app).post('/v1/sessions').send({ token: pubA });
  const cookie = (signIn.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
  const res = await request(app).get('/').set('Cookie', cookie);
  expect(res.headers.location).toBe('/analytics/export');
  expect((await request(app).get('/').set('Cookie', 'ax_session=forged')).headers.location).toBe('/sign-in');
});

it('answers 503 on the page paths when the page was not built', async () => {
  const bare = buildApp({ ...appDeps, webDist: join(tmpdir(), 'ax-web-none-here') });
  expect((await request(bare).get('/analytics/export')).status).toBe(503);
});
