// Versioned SQL migrations from ../migrations, applied in order under an advisory lock.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Sql } from './client';

export const migrationsDir = join(__dirname, '..', 'migrations');

/** Creates the database named in `url` when it does not exist. Returns true when it created it. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsupported database name ${JSON.stringify(name)}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (row) return false;
    try {
      await sql.unsafe(`create database "${name}"`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
      return false;
    }
    return true;
  } finally {
    await sql.end();
  }
}

/** Applies the migrations not yet recorded; returns the names applied. Safe to run from many processes. */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(hashtext('analytics-export.migrate'))`;
    await conn`create table if not exists public.schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await conn<{ name: string }[]>`select name from public.schema_migrations`).map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      const text = readFileSync(join(dir, file), 'utf8');
      await conn.unsafe('begin');
      try {
        await conn.unsafe(text);
        await conn`insert into public.schema_migrations (name) values (${file})`;
        await conn.unsafe('commit');
      } catch (err) {
        await conn.unsafe('rollback');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
  } finally {
    await conn`select pg_advisory_unlock(hashtext('analytics-export.migrate'))`.catch(() => {});
    conn.release();
  }
  return applied;
}
