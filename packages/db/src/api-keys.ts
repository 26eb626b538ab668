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
  if (input.role === 'publisher' && !input.publisherId?.trim()) throw new Error('a publisher key needs a non-empty publisher id');
  if (input.role === 'admin' && input.publisherId !== null) throw new Error('an admin key has no publisher id');
  const token = `axk_${randomBytes(32).toString('base64url')}`;
  const [row] = await sql<{ id: string }[]>`
    insert into app.api_keys (name, role, publisher_id, token_hash)
    values (${input.name ?? ''}, ${input.role}, ${input.publisherId}, ${hashToken(token)})
    returning id`;
  return { id: row!.id, token };
}

export async function findPrincipalByToken(sql: Sql, token: string): Promise<Principal | null> {
  const [row] = await sql<{ id: string; role: Role; publisher_id: string | null }[]>`
    select id, role, publisher_id from app.api_keys
    where token_hash = ${hashToken(token)} and revoked_at is null`;
  if (!row) return null;
  // A publisher key without a real publisher id (rows from before migration 005) authenticates as nobody.
  if (row.role === 'publisher' && !row.publisher_id?.trim()) return null;
  return { keyId: row.id, role: row.role, publisherId: row.publisher_id };
}
