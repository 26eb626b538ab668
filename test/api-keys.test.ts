// Keys have a lifecycle (§6.3): admins list and revoke them (API and CLI), the last use is recorded, a revoked key
// gets 401 at once, its schedules pause ('creator_key_revoked') and send nothing more until another key of the
// same publisher (or an admin) resumes them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { duePeriods } from '@ax/datasets';
import { createApiKey } from '@ax/db';
import { apiKey, basicMarketplace } from '@ax/testing';
import { createHarness, type Harness } from './support/harness';
import { mailTo, uniqueRecipient, waitFor } from './support/ses';

const ROOT = join(__dirname, '..');
let h: Harness;
let admin: string;
const week = duePeriods('weekly', 'UTC', new Date(), 2)[0]!;

type Cli = { code: number; stdout: string; stderr: string };
const cli = (args: string[]): Promise<Cli> =>
  new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['--conditions=source', 'packages/cli/src/main.ts', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DATABASE_URL: h.db.url },
        timeout: 120_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  h = await createHarness('api-keys');
  await basicMarketplace(h.db.sql);
  admin = await apiKey(h.db.sql, 'admin');
  await h.startWorker();
  await h.startReportsWorker();
});
afterAll(() => h.close());

const as = (token: string) => ({
  get: (path: string) => request(h.app).get(path).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: object) => request(h.app).post(path).set('Authorization', `Bearer ${token}`).send(body),
  patch: (path: string, body: object) => request(h.app).patch(path).set('Authorization', `Bearer ${token}`).send(body),
  delete: (path: string) => request(h.app).delete(path).set('Authorization', `Bearer ${token}`),
});
type Run = { status: string; deliveries: { recipient: string; status: string; error: string | null }[] };
const finishedRuns = (token: string, id: string, n: number) =>
  waitFor(`${n} finished run(s)`, async () => {
    const runs = (await as(token).get(`/v1/schedules/${id}/runs`)).body.data as Run[];
    return runs.length >= n && runs.every((r) => r.status === 'succeeded' || r.status === 'failed') ? runs : null;
  });

describe('API keys', () => {
  it('admins list them with their last use; publishers may not', async () => {
    const { id, token } = await createApiKey(h.db.sql, { role: 'publisher', publisherId: 'pub-a', name: 'ci <bot>' });
    expect((await as(token).get('/v1/api-keys')).status).toBe(403);
    const res = await as(admin).get('/v1/api-keys');
    expect(res.status).toBe(200);
    const mine = (res.body.data as { id: string; last_used_at: string }[]).find((k) => k.id === id);
    expect(mine).toMatchObject({ name: 'ci <bot>', role: 'publisher', publisher_id: 'pub-a', revoked_at: null });
    expect(Date.parse(mine!.last_used_at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await as(admin).delete('/v1/api-keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await as(admin).delete('/v1/api-keys/not-a-uuid')).status).toBe(404);
  });

  it("revoking gives 401 at once, pauses the key's schedules, sends nothing more; another key of the publisher resumes", async () => {
    const creator = await createApiKey(h.db.sql, { role: 'publisher', publisherId: 'pub-a' });
    const colleague = await apiKey(h.db.sql, 'publisher', 'pub-a');
    const stranger = await apiKey(h.db.sql, 'publisher', 'pub-b');
    const r = uniqueRecipient('revoke');
    const s = await as(creator.token).post('/v1/schedules', {
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      recipients: [r],
    });
    expect(s.status).toBe(201);
    const other = await as(colleague).post('/v1/schedules', {
      dataset: 'install_events',
      format: 'csv',
      frequency: 'weekly',
      recipients: [r],
    });
    expect(
      (await as(creator.token).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate })).status,
    ).toBe(202);
    await finishedRuns(creator.token, s.body.id, 1);
    await waitFor('the first e-mail', async () => (await mailTo([r])).length === 1);

    expect((await as(admin).delete(`/v1/api-keys/${creator.id}`)).status).toBe(204);
    expect((await as(creator.token).get('/v1/schedules')).status).toBe(401);
    expect((await as(admin).delete(`/v1/api-keys/${creator.id}`)).status).toBe(204); // idempotent
    expect((await as(colleague).get(`/v1/schedules/${s.body.id}`)).body).toMatchObject({
      paused: true,
      paused_reason: 'creator_key_revoked',
      next_run_at: null,
    });
    expect((await as(colleague).get(`/v1/schedules/${other.body.id}`)).body).toMatchObject({
      paused: false,
      paused_reason: null,
    });

    // Nothing goes out while it is paused for its creator's revocation, not even a manual run.
    expect(
      (await as(colleague).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate, resend: true }))
        .status,
    ).toBe(202);
    const [blocked] = await finishedRuns(colleague, s.body.id, 2);
    expect(blocked!.deliveries).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.stringMatching(/^creator_key_revoked/) }),
    ]);
    expect(await mailTo([r])).toHaveLength(1);

    // Another publisher cannot see it; a colleague resumes it and mail flows again.
    expect((await as(stranger).patch(`/v1/schedules/${s.body.id}`, { paused: false })).status).toBe(404);
    const resumed = await as(colleague).patch(`/v1/schedules/${s.body.id}`, { paused: false });
    expect(resumed.body).toMatchObject({ paused: false, paused_reason: null });
    expect(
      (await as(colleague).post(`/v1/schedules/${s.body.id}/runs`, { period_start: week.startDate, resend: true }))
        .status,
    ).toBe(202);
    await finishedRuns(colleague, s.body.id, 3);
    await waitFor('the e-mail after resuming', async () => (await mailTo([r])).length === 2);
    const keys = (await as(admin).get('/v1/api-keys')).body.data as { id: string; revoked_at: string | null }[];
    expect(keys.find((k) => k.id === creator.id)!.revoked_at).not.toBeNull();
  }, 90_000);

  it('the CLI lists keys (table and --json) and revokes one; an unknown id exits 1', async () => {
    const { id, token } = await createApiKey(h.db.sql, { role: 'publisher', publisherId: 'pub-b', name: 'cli-victim' });
    const s = await as(token).post('/v1/schedules', {
      dataset: 'reviews',
      format: 'csv',
      frequency: 'monthly',
      recipients: [uniqueRecipient('cli')],
    });
    const table = await cli(['api-keys', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +NAME +ROLE +PUBLISHER +CREATED +LAST USED +REVOKED$/);
    expect(table.stdout).toMatch(new RegExp(`^${id} +cli-victim +publisher +pub-b +\\S+ \\S+ +\\S+ \\S+ +-$`, 'm'));
    const unknown = await cli(['api-keys', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no API key');
    const revoked = await cli(['api-keys', 'revoke', id]);
    expect(revoked.code).toBe(0);
    expect((await as(token).get('/v1/schedules')).status).toBe(401);
    expect((await as(admin).get(`/v1/schedules/${s.body.id}`)).body.paused_reason).toBe('creator_key_revoked');
    const json = await cli(['api-keys', 'list', '--json']);
    const listed = (JSON.parse(json.stdout) as { id: string; revoked_at: string | null; name: string }[]).find(
      (k) => k.id === id,
    )!;
    expect(listed.name).toBe('cli-victim');
    expect(Date.parse(listed.revoked_at!)).toBeGreaterThan(Date.now() - 120_000);
    // An admin may resume it.
    expect((await as(admin).patch(`/v1/schedules/${s.body.id}`, { paused: false })).body).toMatchObject({
      paused: false,
      paused_reason: null,
    });
  }, 300_000); // four CLI processes, each starting tsx: slow on a busy 2-core machine
});
