-- The service's own tables: API keys, exports, idempotency keys, schedules, runs, deliveries, retention passes.
create schema if not exists app;

-- Formula-injection guard for CSV text cells (CONTRACT §3). SQL so COPY can apply it inline.
create function app.csv_text(v text) returns text language sql immutable parallel safe as $$
  select case
    when left(v, 1) in ('=', '+', '-', '@', E'\t', E'\r')
         and v !~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'
      then '''' || v
    else v
  end
$$;

create table app.api_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null default '',
  role text not null check (role in ('admin', 'publisher')),
  publisher_id text,
  token_hash bytea not null unique,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  check ((role = 'publisher') = (publisher_id is not null))
);

create table app.exports (
  id uuid primary key default gen_random_uuid(),
  dataset text not null,
  format text not null check (format in ('csv', 'json')),
  compression text not null check (compression in ('none', 'gzip')),
  csv_bom boolean not null default false,
  range_from timestamptz not null,
  range_to timestamptz not null,
  from_input text not null,
  to_input text not null,
  timezone text not null,
  granularity text not null check (granularity in ('day', 'week', 'month')),
  filters jsonb not null default '{}',
  -- The publisher whose data this export may contain (null = every publisher, admins only).
  scope_publisher_id text,
  -- Who may see the export: the owning publisher, or null for admin-created exports.
  owner_publisher_id text,
  api_key_id uuid references app.api_keys (id),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  heartbeat_at timestamptz,
  attempts int not null default 0,
  rows_written bigint not null default 0,
  row_count bigint,
  bytes bigint,
  sha256 text,
  content_type text,
  file_name text,
  s3_key text,
  error_code text,
  error_message text,
  schedule_id uuid,
  run_id uuid,
  check (range_from < range_to)
);
create index exports_list_idx on app.exports (owner_publisher_id, created_at desc, id desc);
create index exports_created_idx on app.exports (created_at desc, id desc);
create index exports_running_idx on app.exports (heartbeat_at) where status = 'running';

create table app.idempotency_keys (
  principal text not null,
  key text not null,
  request_hash text not null,
  export_id uuid not null references app.exports (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (principal, key)
);

create table app.schedules (
  id uuid primary key default gen_random_uuid(),
  name text not null default '',
  dataset text not null,
  format text not null check (format in ('csv', 'json')),
  frequency text not null check (frequency in ('weekly', 'monthly')),
  recipients text[] not null,
  timezone text not null default 'UTC',
  granularity text not null default 'day',
  compression text not null default 'none',
  csv_bom boolean not null default false,
  filters jsonb not null default '{}',
  scope_publisher_id text,
  owner_publisher_id text,
  api_key_id uuid references app.api_keys (id),
  paused boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

create table app.schedule_runs (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid not null references app.schedules (id) on delete cascade,
  period_start timestamptz not null,
  period_end timestamptz not null,
  -- 0 for the scheduled run; resends get 1, 2, ... so (schedule, period, attempt) stays unique.
  sequence int not null default 0,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  export_id uuid references app.exports (id),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (schedule_id, period_start, sequence)
);

create table app.deliveries (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references app.schedule_runs (id) on delete cascade,
  recipient text not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  ses_message_id text,
  sent_at timestamptz,
  error text,
  attempts int not null default 0,
  unique (run_id, recipient)
);

create table app.retention_passes (
  id uuid primary key default gen_random_uuid(),
  cutoff date not null,
  dry_run boolean not null default false,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text not null default 'running' check (outcome in ('running', 'succeeded', 'failed', 'skipped')),
  details jsonb not null default '{}',
  error text
);
