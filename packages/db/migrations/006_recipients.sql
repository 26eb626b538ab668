-- Recipients can leave: per-schedule unsubscribes (only the recipient can undo), and deliveries that were not
-- sent because the address left are recorded as 'suppressed'.
create table app.unsubscribes (
  schedule_id uuid not null references app.schedules (id) on delete cascade,
  -- Lower-cased: an address is the same recipient however the owner spelled it.
  recipient text not null,
  created_at timestamptz not null default now(),
  primary key (schedule_id, recipient)
);

alter table app.deliveries drop constraint deliveries_status_check;
alter table app.deliveries add constraint deliveries_status_check check (status in ('pending', 'sent', 'failed', 'suppressed'));

-- Why a schedule is paused (§6.3/§6.4), who hears when it keeps failing, and the failure count behind that.
alter table app.schedules add column paused_reason text check (paused_reason in ('user', 'failing', 'creator_key_revoked'));
update app.schedules set paused_reason = 'user' where paused;
-- No check tying paused to paused_reason: a row paused by hand (an operator, a script) reads as 'user'.
alter table app.schedules add column failure_contacts text[] not null default '{}';
-- Consecutive failed runs; reset by a succeeded run and by resuming.
alter table app.schedules add column failure_streak int not null default 0;
-- Set when the "paused: failing" notice was claimed for sending: one notice per pause.
alter table app.schedules add column failure_notice_at timestamptz;

alter table app.api_keys add column last_used_at timestamptz;
create index schedules_api_key_idx on app.schedules (api_key_id) where deleted_at is null;

-- Limits against abuse (§6.4), counted per UTC day in PostgreSQL so every API replica and worker shares them;
-- each check is one upsert guarded by the limit, so concurrent requests cannot pass it together.
create table app.manual_run_counts (
  schedule_id uuid not null references app.schedules (id) on delete cascade,
  day date not null,
  count int not null,
  primary key (schedule_id, day)
);
create table app.email_counts (
  publisher_id text not null,
  day date not null,
  count int not null,
  primary key (publisher_id, day)
);
