// API keys: tokens are shown once at creation and stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './client';

export type Role = 'admin' | 'publisher';
export type Principal = { keyId: string; role: Role; publisherId: string | null };

const hashToken = (token: string) => createHash('sha256').update(token).digest();

export async function createApiKey(
  sql: Sql,
  input: { role: Role; publisherId: string | null; name?: string },
): Promise<{ id: string; token: string }> {
  if (input.role === 'publisher' && !input.publisherId?.trim())
    throw new Error('a publisher key needs a non-empty publisher id');
  if (input.role === 'admin' && input.publisherId !== null) throw new Error('an admin key has no publisher id');
  const token = `axk_${randomBytes(32).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into app.api_keys (name, role, publisher_id, token_hash)
    values (${input.name ?? ''}, ${input.role}, ${input.publisherId}, ${hashToken(token)})
    returning id`;
  return { id: row!.id, token };
}

/** The key's principal, or null for an unknown or revoked token. Records the use (at most once a minute per key). */
export async function findPrincipalByToken(sql: Sql, token: string): Promise<Principal | null> {
  const [row] = await sql<{ id: string; role: Role; publisher_id: string | null; stale: boolean }[]>`
    select id, role, publisher_id, (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
    from app.api_keys
    where token_hash = ${hashToken(token)} and revoked_at is null`;
  if (!row) return null;
  // A publisher key without a real publisher id (rows from before migration 005) authenticates as nobody.
  if (row.role === 'publisher' && !row.publisher_id?.trim()) return null;
  if (row.stale) await sql`update app.api_keys set last_used_at = now() where id = ${row.id}`;
  return { keyId: row.id, role: row.role, publisherId: row.publisher_id };
}

export type ApiKeyRow = {
  id: string;
  name: string;
  role: Role;
  publisher_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

export async function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select id, name, role, publisher_id, created_at, last_used_at, revoked_at from app.api_keys order by created_at, id`;
}

export type Revocation = { outcome: 'revoked' | 'already_revoked' | 'unknown'; pausedScheduleIds: string[] };

/**
 * Revokes a key at once (the next request with it gets 401) and pauses every live schedule it created with the
 * reason 'creator_key_revoked' (another key of the same publisher, or an admin, may resume them). Idempotent.
 */
export async function revokeApiKey(sql: Sql, id: string): Promise<Revocation> {
  return sql.begin(async (tx) => {
    const [key] = await tx<{ revoked_now: boolean }[]>`
      update app.api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${id}
      returning (revoked_at = now()) as revoked_now`;
    if (!key) return { outcome: 'unknown', pausedScheduleIds: [] };
    const paused = await tx<{ id: string }[]>`
      update app.schedules set paused = true, paused_reason = 'creator_key_revoked', updated_at = now()
      where api_key_id = ${id} and deleted_at is null and paused_reason is distinct from 'creator_key_revoked'
      returning id`;
    return { outcome: key.revoked_now ? 'revoked' : 'already_revoked', pausedScheduleIds: paused.map((r) => r.id) };
  });
}

/** A key as the API answers it and the CLI prints it: never its hash. */
export const apiKeyView = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  publisher_id: k.publisher_id,
  created_at: k.created_at.toISOString(),
  last_used_at: k.last_used_at?.toISOString() ?? null,
  revoked_at: k.revoked_at?.toISOString() ?? null,
});
