// Sessions for the web page (CONTRACT §6.2) and its lookups, on the real API and PostgreSQL: the cookie's
// attributes, only a hash stored, CSRF on cookie-authenticated changes, revocation and expiry, sign-out.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
let admin: string;
let pubA: string;

beforeAll(async () => {
  h = await createHarness('web-sess');
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  pubA = await apiKey(h.db.sql, 'publisher', 'pub-a');
});
afterAll(() => h.close());

const signIn = async (token: string) => {
  const res = await request(h.app).post('/v1/sessions').send({ token });
  expect(res.status).toBe(201);
  const setCookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
  return { res, setCookie, cookie: setCookie.split(';')[0]!, id: setCookie.split(';')[0]!.split('=')[1]! };
};
const keyIdOf = async (token: string) =>
  (await h.db.sql`select id from app.api_keys where token_hash = ${createHash('sha256').update(token).digest()}`)[0]!
    .id as string;
const validExport = {
  dataset: 'install_events',
  format: 'csv',
  from: new Date(Date.now() - 3 * 864e5).toISOString().slice(0, 10),
  to: new Date().toISOString().slice(0, 10),
};

describe('POST /v1/sessions', () => {
  it("trades a key for an HttpOnly, SameSite=Strict cookie of 12 hours, storing only the id's hash", async () => {
    const before = Date.now();
    const { res, setCookie, id } = await signIn(pubA);
    expect(res.body).toEqual({ role: 'publisher', publisher_id: 'pub-a', expires_at: expect.any(String) });
    const expires = Date.parse(res.body.expires_at);
    expect(expires - before).toBeGreaterThan(12 * 3600e3 - 5000);
    expect(expires - before).toBeLessThan(12 * 3600e3 + 5000);
    expect(setCookie).toMatch(/^ax_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=4319\d$/);
    expect(setCookie).not.toContain('Secure'); // plain HTTP here; over HTTPS it carries Secure
    expect(id).not.toContain(pubA);
    const rows = await h.db.sql`select id_hash, api_key_id from app.sessions`;
    const hashes = rows.map((r) => Buffer.from(r.id_hash as Uint8Array).toString('hex'));
    expect(hashes).toContain(createHash('sha256').update(id).digest('hex'));
    const stored = JSON.stringify(await h.db.sql`select * from app.sessions`);
    expect(stored).not.toContain(id);
    expect(stored).not.toContain(pubA);
  });

  it('answers 401 for an unknown key and 400 naming a missing or unknown field', async () => {
    const bad = await request(h.app).post('/v1/sessions').send({ token: 'axk_nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers['set-cookie']).toBeUndefined();
    const missing = await request(h.app).post('/v1/sessions').send({ key: pubA });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['key', 'token']);
  });
});

describe('the session cookie', () => {
  it('authenticates /v1 reads like its key, and GET /v1/me names the key', async () => {
    const { cookie } = await signIn(pubA);
    const me = await request(h.app).get('/v1/me').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      role: 'publisher',
      publisher_id: 'pub-a',
      key_id: await keyIdOf(pubA),
      key_name: 'test publisher',
    });
    const datasets = await request(h.app).get('/v1/datasets').set('Cookie', cookie);
    expect(datasets.body.data.map((d: { id: string }) => d.id)).not.toContain('marketplace_summary');
  });

  it('needs X-Requested-With: ax-web for a change (403 csrf_required, nothing written); bearer calls do not', async () => {
    const { cookie } = await signIn(pubA);
    const count = async () => (await h.db.sql`select count(*)::int as n from app.exports`)[0]!.n as number;
    const before = await count();
    const refused = await request(h.app).post('/v1/exports').set('Cookie', cookie).send(validExport);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf_required');
    const wrong = await request(h.app)
      .post('/v1/exports')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'XMLHttpRequest')
      .send(validExport);
    expect(wrong.status).toBe(403);
    expect(await count()).toBe(before);
    const ok = await request(h.app)
      .post('/v1/exports')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'ax-web')
      .send(validExport);
    expect(ok.status).toBe(202);
    const bearer = await request(h.app).post('/v1/exports').set('Authorization', `Bearer ${pubA}`).send(validExport);
    expect(bearer.status).toBe(202);
    expect(await count()).toBe(before + 2);
  });

  it('ends at once when its key is revoked, and after 12 hours', async () => {
    const other = await apiKey(h.db.sql, 'publisher', 'pub-a');
    const { cookie } = await signIn(other);
    expect((await request(h.app).get('/v1/me').set('Cookie', cookie)).status).toBe(200);
    await h.db.sql`update app.api_keys set revoked_at = now() where id = ${await keyIdOf(other)}`;
    const revoked = await request(h.app).get('/v1/me').set('Cookie', cookie);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('session_expired');

    const { cookie: aged, id } = await signIn(pubA);
    await h.db.sql`update app.sessions set expires_at = now() - interval '1 second'
                   where id_hash = ${createHash('sha256').update(id).digest()}`;
    expect((await request(h.app).get('/v1/me').set('Cookie', aged)).status).toBe(401);
  });

  it('ends with DELETE /v1/sessions/current (CSRF header required), which clears the cookie', async () => {
    const { cookie } = await signIn(pubA);
    expect((await request(h.app).delete('/v1/sessions/current').set('Cookie', cookie)).status).toBe(403);
    expect((await request(h.app).get('/v1/me').set('Cookie', cookie)).status).toBe(200);
    const out = await request(h.app)
      .delete('/v1/sessions/current')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'ax-web');
    expect(out.status).toBe(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      /^ax_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/,
    );
    expect((await request(h.app).get('/v1/me').set('Cookie', cookie)).status).toBe(401);
  });
});

describe('lookups', () => {
  it("GET /v1/packages: a publisher's own, an admin's all or one publisher's", async () => {
    const own = await request(h.app).get('/v1/packages').set('Authorization', `Bearer ${pubA}`);
    expect(own.body.data).toEqual([
      { package_id: 'pkg-a1', name: 'A one', publisher_id: 'pub-a' },
      { package_id: 'pkg-a2', name: 'A two', publisher_id: 'pub-a' },
    ]);
    expect(
      (await request(h.app).get('/v1/packages?publisher_id=pub-b').set('Authorization', `Bearer ${pubA}`)).status,
    ).toBe(403);
    const all = await request(h.app).get('/v1/packages').set('Authorization', `Bearer ${admin}`);
    expect(all.body.data.map((p: { package_id: string }) => p.package_id)).toEqual([
      'pkg-a1',
      'pkg-a2',
      'pkg-b1',
      'pkg-b2',
    ]);
    const b = await request(h.app).get('/v1/packages?publisher_id=pub-b').set('Authorization', `Bearer ${admin}`);
    expect(b.body.data.map((p: { package_id: string }) => p.package_id)).toEqual(['pkg-b1', 'pkg-b2']);
    expect((await request(h.app).get('/v1/packages?colour=red').set('Authorization', `Bearer ${admin}`)).status).toBe(
      400,
    );
  });

  it('GET /v1/publishers: admins only', async () => {
    const res = await request(h.app).get('/v1/publishers').set('Authorization', `Bearer ${admin}`);
    expect(res.body.data).toEqual([
      { publisher_id: 'pub-a', name: 'Publisher A' },
      { publisher_id: 'pub-b', name: 'Publisher B' },
    ]);
    expect((await request(h.app).get('/v1/publishers').set('Authorization', `Bearer ${pubA}`)).status).toBe(403);
    expect((await request(h.app).get('/v1/publishers')).status).toBe(401);
  });
});
