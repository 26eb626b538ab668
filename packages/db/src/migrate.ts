// Versioned SQL migrations from ../migrations, applied in order under an advisory lock. Each applied file's
// SHA-256 is recorded: a migration edited after it ran stops the command, since the database would no longer match it.
import { createHash } from 'node:crypto';
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

/** An applied migration whose file changed since: nothing is applied until it is restored. */
export class MigrationChangedError extends Error {
  constructor(readonly files: string[]) {
    super(
      `migration${files.length > 1 ? 's' : ''} ${files.join(', ')} changed after being applied (checksum differs from the one recorded); ` +
        'restore the file and put the change in a new migration',
    );
  }
}

const checksum = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Applies the migrations not yet recorded; returns the names applied. Safe to run from many processes. Refuses to
 * apply anything while an applied migration's file differs from its recorded checksum. Rows from before checksums
 * were kept get the file's current checksum the first time.
 */
export async function migrate(sql: Sql, dir = migrationsDir): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const texts = new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const applied: string[] = [];
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(hashtext('analytics-export.migrate'))`;
    await conn`create table if not exists public.schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    await conn`alter table public.schema_migrations add column if not exists checksum text`;
    const recorded = await conn<
      { name: string; checksum: string | null }[]
    >`select name, checksum from public.schema_migrations`;
    const changed = recorded.filter(
      (r) => r.checksum !== null && texts.has(r.name) && checksum(texts.get(r.name)!) !== r.checksum,
    );
    if (changed.length) throw new MigrationChangedError(changed.map((r) => r.name).sort());
    for (const r of recorded) {
      const text = texts.get(r.name);
      if (r.checksum === null && text !== undefined) {
        await conn`update public.schema_migrations set checksum = ${checksum(text)} where name = ${r.name} and checksum is null`;
      }
    }
    const done = new Set(recorded.map((r) => r.name));
    for (const [file, text] of texts) {
      if (done.has(file)) continue;
      await conn.unsafe('begin');
      try {
        await conn.unsafe(text);
        await conn`insert into public.schema_migrations (name, checksum) values (${file}, ${checksum(text)})`;
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
