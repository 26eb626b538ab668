// Migrations keep a checksum per applied file: an edited, already-applied migration stops `migrate` (and the
// `cli migrate` command) before anything else is applied; databases migrated before checksums get them once.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { createSql, ensureDatabase, migrate, MigrationChangedError, type Sql } from '@ax/db';
import { createTestDatabase, TEST_PG_BASE, type TestDb } from '@ax/testing';

const run = promisify(execFile);
const name = `ax_test_mig_${randomBytes(5).toString('hex')}`;
let sql: Sql;
let dir: string;

const tables = async () =>
  (
    await sql<
      { t: string }[]
    >`select table_name as t from information_schema.tables where table_schema = 'public' and table_name like 'mig_%' order by 1`
  ).map((r) => r.t);

beforeAll(async () => {
  await ensureDatabase(`${TEST_PG_BASE}/${name}`);
  sql = createSql(`${TEST_PG_BASE}/${name}`, { max: 2 });
  dir = mkdtempSync(join(tmpdir(), 'ax-migrations-'));
  writeFileSync(join(dir, '001_one.sql'), 'create table public.mig_one (id int);');
  writeFileSync(join(dir, '002_two.sql'), 'create table public.mig_two (id int);');
});
afterAll(async () => {
  await sql.end({ timeout: 1 });
  const admin = postgres(`${TEST_PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

it('records each applied file with its SHA-256 and applies nothing twice', async () => {
  expect(await migrate(sql, dir)).toEqual(['001_one.sql', '002_two.sql']);
  const rows = await sql<
    { name: string; checksum: string }[]
  >`select name, checksum from public.schema_migrations order by name`;
  expect(rows.map((r) => r.name)).toEqual(['001_one.sql', '002_two.sql']);
  expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  expect(await migrate(sql, dir)).toEqual([]);
});

it('stops at an edited applied migration, naming it, and applies no new one', async () => {
  writeFileSync(join(dir, '001_one.sql'), 'create table public.mig_one (id bigint);');
  writeFileSync(join(dir, '003_three.sql'), 'create table public.mig_three (id int);');
  const failure = await migrate(sql, dir).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(MigrationChangedError);
  expect((failure as Error).message).toContain('001_one.sql');
  expect(await tables()).toEqual(['mig_one', 'mig_two']);

  writeFileSync(join(dir, '001_one.sql'), 'create table public.mig_one (id int);');
  expect(await migrate(sql, dir)).toEqual(['003_three.sql']);
});

it('gives rows recorded before checksums existed their checksum once, then guards them', async () => {
  await sql`update public.schema_migrations set checksum = null where name = '002_two.sql'`;
  expect(await migrate(sql, dir)).toEqual([]);
  const [row] = await sql<
    { checksum: string | null }[]
  >`select checksum from public.schema_migrations where name = '002_two.sql'`;
  expect(row!.checksum).toMatch(/^[0-9a-f]{64}$/);
  writeFileSync(join(dir, '002_two.sql'), '-- edited\ncreate table public.mig_two (id int);');
  await expect(migrate(sql, dir)).rejects.toThrow('002_two.sql');
});

describe('the migrate command', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const cli = async () => {
    try {
      await run('pnpm', ['--silent', 'cli', 'migrate'], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stderr: '' };
    } catch (err) {
      return err as { code: number; stderr: string };
    }
  };

  it('exits 1 and names the migration whose file no longer matches what was applied', async () => {
    const [before] = await db.sql<
      { checksum: string }[]
    >`select checksum from public.schema_migrations where name = '002_control.sql'`;
    await db.sql`update public.schema_migrations set checksum = repeat('0', 64) where name = '002_control.sql'`;
    const r = await cli();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('002_control.sql changed after being applied');

    await db.sql`update public.schema_migrations set checksum = ${before!.checksum} where name = '002_control.sql'`;
    expect((await cli()).code).toBe(0);
  });
});
