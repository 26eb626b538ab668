// Fixtures for tests on the real services: a fresh database per test file (cloned from a migrated
// template), a unique queue prefix, and the local S3 emulator.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import postgres from 'postgres';
import { loadConfig, retentionEnv } from '@ax/config';
import { createApiKey, createSql, ensureDatabase, migrate, migrationsDir, type Role, type Sql } from '@ax/db';
import { createStorage, ensureBucket, type Storage } from '@ax/storage';

/** RETENTION_MONTHS as a process with nothing set reads it (the one default, @ax/config's): what tests pass explicitly. */
export const TEST_RETENTION_MONTHS = loadConfig(retentionEnv, {}).RETENTION_MONTHS;

export const TEST_PG_BASE = 'postgres://postgres:postgres@127.0.0.1:5432';
/** One template per set of migrations, so checkouts with different migrations never share one. */
export const TEMPLATE_DB = (() => {
  const hash = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) hash.update(f).update(readFileSync(join(migrationsDir, f)));
  return `ax_test_tpl_${hash.digest('hex').slice(0, 12)}`;
})();
export const REDIS_URL = 'redis://127.0.0.1:6379';

const dbUrl = (name: string) => `${TEST_PG_BASE}/${name}`;

/** Run once per test run (jest globalSetup): migrate the template every test database is cloned from. */
export async function prepareTemplate(): Promise<void> {
  await ensureDatabase(dbUrl(TEMPLATE_DB));
  const sql = createSql(dbUrl(TEMPLATE_DB), { max: 1 });
  try {
    await migrate(sql);
  } finally {
    await sql.end();
  }
}

export type TestDb = { name: string; url: string; sql: Sql; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDb> {
  const name = `ax_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(dbUrl('postgres'), { max: 1, onnotice: () => {} });
  try {
    // CREATE DATABASE … TEMPLATE fails while another session is connected to the template (55006): retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${TEMPLATE_DB}"`);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = dbUrl(name);
  const sql = createSql(url, { max: 5, applicationName: 'test' });
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 1 });
      const a = postgres(dbUrl('postgres'), { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

export const uniquePrefix = (label = 't') => `axt-${label}-${randomBytes(4).toString('hex')}`;

/** Deletes every key of one queue prefix, as a Redis restart without persistence would (nobody else's). */
export async function obliterate(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

export const testStorageConfig = {
  S3_ENDPOINT: 'http://127.0.0.1:4568',
  S3_BUCKET: 'analytics-exports-test',
  S3_REGION: 'us-east-1',
  S3_PRESIGN_TTL_SECONDS: 300,
};

export async function testStorage(): Promise<Storage> {
  const storage = createStorage(testStorageConfig);
  await ensureBucket(storage);
  return storage;
}

export async function apiKey(sql: Sql, role: Role, publisherId: string | null = null): Promise<string> {
  return (await createApiKey(sql, { role, publisherId, name: `test ${role}` })).token;
}

/** Two publishers with two packages each, and a handful of installs, for access and format tests. */
export async function basicMarketplace(sql: Sql): Promise<void> {
  await sql`insert into analytics.publishers values ('pub-a', 'Publisher A'), ('pub-b', 'Publisher B')`;
  await sql`insert into analytics.packages values ('pkg-a1', 'pub-a', 'A one'), ('pkg-a2', 'pub-a', 'A two'),
                                                  ('pkg-b1', 'pub-b', 'B one'), ('pkg-b2', 'pub-b', 'B two')`;
}

export const daysAgo = (n: number, hour = 12) => {
  const d = new Date();
  d.setUTCHours(hour, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - n);
  return d;
};
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
