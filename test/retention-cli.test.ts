// `pnpm --silent cli retention run|history` as an operator runs it: a real process against a test database.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDb } from '@ax/testing';
import { eventsAt, installTags, partitionMonths, plainRowsOn, resetPartitions } from './support/retention-fixtures';

const run = promisify(execFile);
const root = join(__dirname, '..');
let db: TestDb;

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('pnpm', ['--silent', 'cli', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await resetPartitions(db.sql, '2024-01', '2026-04');
  await eventsAt(db.sql, '2024-01-15T00:00:00Z', 'jan');
  await eventsAt(db.sql, '2024-03-14T23:59:59Z', 'one-second-before');
  await eventsAt(db.sql, '2024-03-15T00:00:00Z', 'at-cutoff');
  await plainRowsOn(db.sql, '2024-03-14');
  await plainRowsOn(db.sql, '2024-03-15');
});
afterAll(() => db.drop());

it('prints what a dry run would delete per table, and deletes nothing', async () => {
  const r = await cli(['retention', 'run', '--now', '2026-03-15', '--dry-run']);
  expect(r.code).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe(
    'retention as of 2026-03-15: cutoff 2024-03-15; rows dated before it would be deleted (dry run: nothing was deleted)',
  );
  expect(lines.slice(1, 8).map((l) => l.split(/\s+/))).toEqual([
    ['table', 'partitions', 'dropped', 'rows', 'deleted', 'partitions', 'created'],
    ['install_events', '2', '2', '2'],
    ['reviews', '2', '2', '2'],
    ['reputation_events', '2', '2', '2'],
    ['version_adoption_snapshots', '-', '1', '-'],
    ['marketplace_daily_summary', '-', '1', '-'],
    ['publisher_leaderboard_snapshots', '-', '1', '-'],
  ]);
  expect(lines[8]).toMatch(/^succeeded in \d+\.\d s: 9 rows to delete \(pass [0-9a-f-]{36}\)$/);
  expect(await installTags(db.sql)).toEqual(['at-cutoff', 'jan', 'one-second-before']);
});

it('deletes and prints per table, then history lists both passes', async () => {
  const r = await cli(['retention', 'run', '--now', '2026-03-15']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('retention as of 2026-03-15: cutoff 2024-03-15; rows dated before it deleted\n');
  expect(r.stdout).toMatch(/\ninstall_events +2 +2 +2\n/);
  expect(r.stdout).toMatch(/\nmarketplace_daily_summary +- +1 +-\n/);
  expect(r.stdout).toMatch(/\nsucceeded in \d+\.\d s: 9 rows deleted/);
  expect(await installTags(db.sql)).toEqual(['at-cutoff']);
  expect((await partitionMonths(db.sql, 'install_events'))[0]).toBe('2024-03');

  const h = await cli(['retention', 'history']);
  expect(h.code).toBe(0);
  const rows = h.stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/\s+/));
  expect(rows[0]).toEqual([
    'started',
    '(UTC)',
    'as',
    'of',
    'cutoff',
    'mode',
    'outcome',
    'duration',
    'partitions',
    'rows',
    'error',
  ]);
  expect(rows.slice(1).map((c) => [c[2], c[3], c[4], c[5], c[8], c[9]])).toEqual([
    ['2026-03-15', '2024-03-15', 'delete', 'succeeded', '6', '9'],
    ['2026-03-15', '2024-03-15', 'dry-run', 'succeeded', '6', '9'],
  ]);
});

it('refuses a day after today without deleting, and bad dates, with usage on stderr', async () => {
  const future = await cli(['retention', 'run', '--now', '2999-01-01']);
  expect(future.code).toBe(2);
  expect(future.stdout).toBe('');
  expect(future.stderr).toMatch(/--now: 2999-01-01 is after today/);
  const bad = await cli(['retention', 'run', '--now', '2026-02-30']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--now: the day must be a date YYYY-MM-DD/);
  const [{ n }] = (await db.sql`select count(*)::int as n from app.retention_passes`) as unknown as [{ n: number }];
  expect(n).toBe(2);
});

it('exits 75 and says so when another pass holds the lock', async () => {
  const other = await db.sql.reserve();
  try {
    await other`select pg_advisory_lock(hashtextextended('ax.retention-pass', 0))`;
    const r = await cli(['retention', 'run', '--now', '2026-03-16']);
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('skipped: another retention pass is running');
  } finally {
    await other`select pg_advisory_unlock_all()`;
    other.release();
  }
});

it('seed refuses days the configured retention would delete, and seeds nothing', async () => {
  const count = async () =>
    (await db.sql<{ n: number }[]>`select count(*)::int as n from analytics.install_events`)[0]!.n;
  const before = await count();
  const long = await cli(['seed', '--days', '800', '--installs', '10']);
  expect(long.code).toBe(2);
  expect(long.stderr).toMatch(/^--days must be at most 7[23]\d: older data is outside the 24-month retention\n/);
  const short = await cli(['seed', '--days', '400', '--installs', '10'], {
    RETENTION_MONTHS: '12',
    RETENTION_ALLOW_SHORTER: 'true',
  });
  expect(short.code).toBe(2);
  expect(short.stderr).toMatch(/^--days must be at most 36\d: older data is outside the 12-month retention\n/);
  expect(await count()).toBe(before);
});
