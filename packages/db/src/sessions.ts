// Browser sessions: an opaque random id in the cookie, its SHA-256 in PostgreSQL, bound to the API key it
// was traded for. A revoked key ends its sessions at once because every lookup checks the key.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from './client';
import type { Principal, Role } from './api-keys';

export const SESSION_TTL_MS = 12 * 3600 * 1000;

const hashId = (id: string) => createHash('sha256').update(id).digest();

export type SessionPrincipal = Principal & { keyName: string; expiresAt: Date };

export async function createSession(
  sql: Sql,
  apiKeyId: string,
  now = new Date(),
): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await sql`insert into app.sessions (id_hash, api_key_id, expires_at) values (${hashId(id)}, ${apiKeyId}, ${expiresAt})`;
  // Expired rows are dead weight only; trimming them here keeps the table small without a job.
  await sql`delete from app.sessions where expires_at < now() - interval '1 day'`;
  return { id, expiresAt };
}

export async function findPrincipalBySession(sql: Sql, id: string): Promise<SessionPrincipal | null> {
  const [row] = await sql<{ id: string; role: Role; publisher_id: string | null; name: string; expires_at: Date }[]>`
    select k.id, k.role, k.publisher_id, k.name, s.expires_at
    from app.sessions s join app.api_keys k on k.id = s.api_key_id
    where s.id_hash = ${hashId(id)} and s.expires_at > now() and k.revoked_at is null`;
  return row
    ? { keyId: row.id, role: row.role, publisherId: row.publisher_id, keyName: row.name, expiresAt: row.expires_at }
    : null;
}

export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql`delete from app.sessions where id_hash = ${hashId(id)}`;
}

export async function apiKeyName(sql: Sql, keyId: string): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select name from app.api_keys where id = ${keyId}`;
  return row?.name ?? '';
}
