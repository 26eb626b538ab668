// /openapi.json (generated from the routes' zod schemas), Swagger UI at /docs served locally, and the
// bull-board dashboard at /admin/queues behind an admin key.
import request from 'supertest';
import { createExportSchema } from '@ax/api';
import { createMetrics } from '@ax/runtime';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;

beforeAll(async () => {
  h = await createHarness('docs', { metrics: createMetrics('api') });
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
});
afterAll(() => h.close());

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: { $ref: string } }> } }
    >
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const CONTRACT_ROUTES = [
  'GET /v1/datasets',
  'POST /v1/exports',
  'GET /v1/exports',
  'GET /v1/exports/{id}',
  'GET /v1/exports/{id}/download',
  'DELETE /v1/exports/{id}',
  'POST /v1/schedules',
  'GET /v1/schedules',
  'GET /v1/schedules/{id}',
  'PATCH /v1/schedules/{id}',
  'DELETE /v1/schedules/{id}',
  'GET /v1/schedules/{id}/runs',
  'POST /v1/schedules/{id}/runs',
  'GET /v1/report-links/{token}',
  'GET /v1/retention',
  'POST /v1/sessions',
  'DELETE /v1/sessions/current',
  'GET /v1/me',
  'GET /v1/packages',
  'GET /v1/publishers',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
  'GET /v1/api-keys',
  'DELETE /v1/api-keys/{id}',
  'GET /v1/unsubscribe/{token}',
  'POST /v1/unsubscribe/{token}',
  'POST /v1/unsubscribe/{token}/undo',
];

describe('/openapi.json', () => {
  let doc: Doc;
  beforeAll(async () => {
    const res = await request(h.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body;
  });

  it('is OpenAPI 3.1 with every route of the contract, each with responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(CONTRACT_ROUTES));
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops).filter(([k]) => k !== 'servers'))
        expect({ route: `${method} ${path}`, responses: Object.keys(op.responses).length > 0 }).toEqual({
          route: `${method} ${path}`,
          responses: true,
        });
  });

  it('names every operation (unique operationId) and says how each is authenticated', () => {
    // A path item's `servers` (the ops port's /metrics) is not an operation.
    const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
    const ops = Object.values(doc.paths).flatMap((o) =>
      Object.entries(o)
        .filter(([m]) => methods.has(m))
        .map(([, op]) => op),
    ) as unknown as { operationId?: string; security?: unknown[] }[];
    const ids = ops.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ops.every((o) => Array.isArray(o.security))).toBe(true);
    expect(doc.paths['/v1/exports']!.post).toMatchObject({ security: [{ bearer: [] }, { session: [] }] });
    expect(doc.paths['/healthz']!.get).toMatchObject({ security: [] });
  });

  it('describes request bodies from the zod schemas, refusing unknown fields at every level', () => {
    const bodyOf = (method: string, path: string) => {
      const ref = doc.paths[path]![method]!.requestBody!.content['application/json']!.schema.$ref;
      return doc.components.schemas[ref.replace('#/components/schemas/', '')]!;
    };
    const create = bodyOf('post', '/v1/exports') as {
      properties: Record<string, { additionalProperties?: boolean }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(create.properties).sort()).toEqual(Object.keys(createExportSchema.shape).sort());
    expect(create.required.sort()).toEqual(['dataset', 'format', 'from', 'to']);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.filters!.additionalProperties).toBe(false);
    for (const [method, path] of [
      ['post', '/v1/schedules'],
      ['patch', '/v1/schedules/{id}'],
      ['post', '/v1/schedules/{id}/runs'],
    ] as const)
      expect({ path, additionalProperties: bodyOf(method, path).additionalProperties }).toEqual({
        path,
        additionalProperties: false,
      });
    expect((bodyOf('patch', '/v1/schedules/{id}') as { required?: string[] }).required ?? []).toEqual([]);
  });

  it('has only references that resolve', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty([r]);
  });

  it('lists only routes the app serves', async () => {
    // A path with servers of its own (/metrics: the ops port) is not served by the app.
    const served = Object.entries(doc.paths)
      .filter(([, ops]) => !('servers' in ops))
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((k) => k !== 'servers')
          .map((m) => ({
            method: m,
            path: path.replace('{id}', '00000000-0000-4000-8000-000000000000').replace('{token}', 'x.y'),
          })),
      );
    for (const r of served) {
      const res = await request(h.app)[r.method as 'get'](r.path).set('Authorization', `Bearer ${admin}`).send({});
      expect({ route: `${r.method} ${r.path}`, unknownRoute: res.body?.error?.message === 'No such route.' }).toEqual({
        route: `${r.method} ${r.path}`,
        unknownRoute: false,
      });
    }
  });
});

describe('/docs', () => {
  it('serves Swagger UI whose scripts and styles all load from this server', async () => {
    const res = await request(h.app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).not.toMatch(/https?:\/\//);
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(
      expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js']),
    );
    for (const asset of assets) {
      expect(asset.startsWith('/docs/')).toBe(true);
      const a = await request(h.app).get(asset);
      expect({ asset, status: a.status }).toEqual({ asset, status: 200 });
      expect(a.headers['content-type']).toMatch(
        asset.endsWith('.css') ? /text\/css/ : asset.endsWith('.js') ? /javascript/ : /image\/png/,
      );
    }
    expect((await request(h.app).get('/docs/init.js')).text).toContain("url: '/openapi.json'");
  });
});

describe('/admin/queues', () => {
  it('answers 401 without a key, 403 for a publisher, and the dashboard for an admin', async () => {
    const none = await request(h.app).get('/admin/queues');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    expect((await request(h.app).get('/admin/queues').set('Authorization', 'Bearer axk_unknown')).status).toBe(401);
    const publisher = await request(h.app).get('/admin/queues').set('Authorization', `Bearer ${pubA}`);
    expect(publisher.status).toBe(403);
    expect(publisher.body.error.code).toBe('forbidden');
    expect((await request(h.app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${pubA}`)).status).toBe(
      403,
    );

    const page = await request(h.app).get('/admin/queues').set('Authorization', `Bearer ${admin}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const api = await request(h.app).get('/admin/queues/api/queues').set('Authorization', `Bearer ${admin}`);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['exports', 'reports', 'retention']);
  });

  it('takes an admin session cookie, never a key from the query string or a cookie', async () => {
    const signIn = await request(h.app).post('/v1/sessions').send({ token: admin });
    const pair = (signIn.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    expect((await request(h.app).get('/admin/queues').set('Cookie', pair)).status).toBe(200);
    expect((await request(h.app).get('/admin/queues/api/queues').set('Cookie', pair)).status).toBe(200);
    // The old ways in are gone: ?token= is ignored, and a cookie holding a key is not a session.
    expect((await request(h.app).get(`/admin/queues?token=${encodeURIComponent(admin)}`)).status).toBe(401);
    expect((await request(h.app).get('/admin/queues').set('Cookie', `ax_admin_board=${admin}`)).status).toBe(401);
    expect((await request(h.app).get('/admin/queues').set('Cookie', `ax_session=${admin}`)).status).toBe(401);
    // A browser page load without a session goes to sign-in and comes back.
    const page = await request(h.app).get('/admin/queues').set('Accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fadmin%2Fqueues');

    const pubSignIn = await request(h.app).post('/v1/sessions').send({ token: pubA });
    const pubPair = (pubSignIn.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    expect((await request(h.app).get('/admin/queues').set('Cookie', pubPair)).status).toBe(403);
  });
});
