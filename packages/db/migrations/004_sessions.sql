-- Browser sessions for the web page (CONTRACT §6.2): the cookie holds an opaque id, only its SHA-256 is kept.
-- A session lives no longer than its key: lookups join api_keys and ignore revoked keys, and deleting a key
-- deletes its sessions.
create table app.sessions (
  id_hash bytea primary key,
  api_key_id uuid not null references app.api_keys (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_key_idx on app.sessions (api_key_id);
create index sessions_expiry_idx on app.sessions (expires_at);
