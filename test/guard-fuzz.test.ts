// A bounded fuzz run of the API (issue 14): 2,000 requests with random and hostile paths, bodies and headers, on both
// roles and without a key. No answer may be a 5xx, and every JSON 4xx has the contract's error shape. Seeded, so a
// failure names the seed and the request that broke it (FUZZ_SEED=<n> replays it).
import request from 'supertest';
import { apiKey, basicMarketplace, daysAgo, isoDay } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let h: Harness;
let tokens: Record<'admin' | 'publisher' | 'none' | 'bogus', string | null>;
let exportId: string;
let scheduleId: string;

beforeAll(async () => {
  h = await createHarness('fuzz', { activeExports: 5 });
  await basicMarketplace(h.db.sql);
  tokens = {
    admin: await apiKey(h.db.sql, 'admin'),
    publisher: await apiKey(h.db.sql, 'publisher', 'pub-a'),
    none: null,
    bogus: 'axk_bogus',
  };
  const e = await request(h.app)
    .post('/v1/exports')
    .set('Authorization', `Bearer ${tokens.publisher}`)
    .send({ dataset: 'install_events', format: 'csv', from: isoDay(daysAgo(5, 0)), to: isoDay(daysAgo(0, 0)) });
  exportId = e.body.id;
  const s = await request(h.app)
    .post('/v1/schedules')
    .set('Authorization', `Bearer ${tokens.publisher}`)
    .send({ dataset: 'install_events', format: 'csv', frequency: 'weekly', recipients: ['a@example.com'] });
  scheduleId = s.body.id;
});
afterAll(() => h.close());

/** mulberry32: small, seedable, good enough to pick cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it(`answers ${REQUESTS} hostile requests without a 5xx, every JSON 4xx in the error shape (seed ${SEED})`, async () => {
  const rand = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);

  const hostileStrings = [
    '',
    ' ',
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%00',
    '\u0000',
    '..',
    '../..',
    '%2e%2e%2f',
    'a'.repeat(5000),
    '💥',
    '\ud800',
    '{}',
    '[]',
    'null',
    'true',
    '-1',
    '1e309',
    '0x10',
    'NaN',
    '__proto__',
    'constructor',
    "'; drop table app.exports; --",
    '<script>alert(1)</script>',
    '=cmd|/c calc',
    '2026-02-30',
    '2026-13-01',
    '9999-12-31',
    '0000-01-01',
    '2026-01-01T00:00:00',
    '2026-01-01T25:00:00Z',
    'Europe/Nowhere',
    'UTC',
    '+14:00',
    '00000000-0000-4000-8000-000000000000',
    'x.y',
    'a.b.c',
  ] as const;
  const values = (): unknown => {
    switch (int(9)) {
      case 0:
        return pick(hostileStrings);
      case 1:
        return rand() * 10 ** int(20) * (rand() < 0.5 ? -1 : 1);
      case 2:
        return rand() < 0.5;
      case 3:
        return null;
      case 4:
        return Array.from({ length: int(4) }, values);
      case 5:
        return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(keys), values()]));
      case 6:
        return pick([
          'install_events',
          'reviews',
          'marketplace_summary',
          'leaderboard_history',
          'csv',
          'json',
          'gzip',
          'week',
          'month',
          'weekly',
        ]);
      case 7:
        return isoDay(daysAgo(int(1000) - 100, 0));
      default:
        return pick(['a@example.com', 'x@y', 'a@example.com\r\nBcc: b@example.com', 'pub-a', 'pub-b', 'pkg-a1']);
    }
  };
  const keys = [
    'dataset',
    'format',
    'from',
    'to',
    'timezone',
    'granularity',
    'compression',
    'csv_bom',
    'filters',
    'package_ids',
    'publisher_id',
    'frequency',
    'recipients',
    'name',
    'paused',
    'period_start',
    'resend',
    '__proto__',
    'constructor',
    'unknown',
  ] as const;
  const validExport = () => ({
    dataset: pick(['install_events', 'reviews', 'geographic_summary', 'marketplace_summary']),
    format: pick(['csv', 'json']),
    from: isoDay(daysAgo(int(40), 0)),
    to: isoDay(daysAgo(-int(40000), 0)),
    granularity: pick(['day', 'week', 'month']),
  });
  const body = (): unknown => {
    switch (int(6)) {
      case 0: {
        // a near-valid export or schedule with one field spoiled
        const b: Record<string, unknown> = {
          ...validExport(),
          ...(rand() < 0.5 ? { frequency: 'weekly', recipients: ['a@example.com'] } : {}),
        };
        b[pick(keys)] = values();
        return b;
      }
      case 1:
        return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(keys), values()]));
      case 2:
        return values();
      case 3:
        return validExport();
      case 4:
        return '{"dataset": "install_events", "format": ';
      default:
        return undefined;
    }
  };
  const segment = () =>
    rand() < 0.5 ? pick(hostileStrings) : pick([exportId, scheduleId, 'runs', 'download', 'current']);
  const path = () => {
    const base = pick([
      '/v1/exports',
      '/v1/exports/{e}',
      '/v1/exports/{e}/download',
      '/v1/schedules',
      '/v1/schedules/{s}',
      '/v1/schedules/{s}/runs',
      '/v1/datasets',
      '/v1/retention',
      '/v1/report-links/{x}',
      '/v1/{x}',
      '/{x}',
      '/healthz',
      '/openapi.json',
      '/admin/queues',
    ]);
    // Encoded, or raw (printable ASCII only: Node's client refuses the rest); a lone surrogate becomes invalid UTF-8.
    const encode = (v: string) => {
      try {
        return encodeURIComponent(v);
      } catch {
        return '%ED%A0%80';
      }
    };
    const fill = (v: string) => (rand() < 0.7 ? encode(v) : v.replace(/[^\x21-\x7e]|[?#]/g, '%20'));
    let p = base
      .replace('{e}', rand() < 0.5 ? exportId : fill(segment()))
      .replace('{s}', rand() < 0.5 ? scheduleId : fill(segment()))
      .replace('{x}', fill(segment()));
    if (rand() < 0.3) p += `?${pick(['status', 'dataset', 'limit', 'cursor', 'x'])}=${fill(String(values()))}`;
    if (rand() < 0.1) p += '/' + pick(['%', '%ZZ', '..', 'extra']);
    return p;
  };
  const methods = ['get', 'post', 'patch', 'delete', 'put'] as const;

  const problems: string[] = [];
  for (let i = 0; i < REQUESTS; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, REQUESTS - i) }, async () => {
        const method = pick(methods);
        const url = path();
        const role = pick(['admin', 'publisher', 'publisher', 'none', 'bogus'] as const);
        let req = request(h.app)[method](url);
        if (tokens[role])
          req = req.set('Authorization', rand() < 0.95 ? `Bearer ${tokens[role]}` : `bearer  ${tokens[role]} x`);
        if (rand() < 0.2)
          req = req.set('Idempotency-Key', String(pick(hostileStrings)).replace(/[^\x20-\x7e]/g, '') || 'k');
        if (rand() < 0.1) req = req.set('X-Request-Id', pick(['x'.repeat(300), 'ok-1', '../../etc']));
        const b = body();
        const contentType =
          rand() < 0.15
            ? pick([
                'text/plain',
                'application/json; charset=utf-16',
                'application/json; charset=latin1',
                'application/x-www-form-urlencoded',
                'application/json; charset=bogus',
              ])
            : undefined;
        if (b !== undefined && method !== 'get') {
          req = req.set('Content-Type', contentType ?? 'application/json');
          req = req.send(typeof b === 'string' && int(2) ? b : JSON.stringify(b));
        }
        const res = await req.catch((err: Error) => ({ status: 0, body: null, headers: {}, text: err.message }));
        const desc = `${method.toUpperCase()} ${url} as ${role}${contentType ? ` (${contentType})` : ''} body=${JSON.stringify(b)?.slice(0, 200)}`;
        if (res.status === 0 || res.status >= 500)
          problems.push(`${res.status} ${desc}: ${String(res.text).slice(0, 200)}`);
        const json = String((res.headers as Record<string, string>)['content-type'] ?? '').startsWith(
          'application/json',
        );
        if (res.status >= 400 && res.status < 500 && json) {
          const e = (res.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
          if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || !Array.isArray(e.details))
            problems.push(`${res.status} without the error shape: ${desc}: ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }),
    );
  }
  expect(problems.slice(0, 10)).toEqual([]);
}, 240_000);
