-- Guard rails (issue 14): no publisher key with an empty id; export files that expire; retention passes that
-- refuse; an idempotency-key purge index. NOT VALID: rows written before keep working (the API refuses them).
alter table app.api_keys add constraint api_keys_publisher_id_not_blank
  check (publisher_id is null or btrim(publisher_id) <> '') not valid;

create index idempotency_keys_created_idx on app.idempotency_keys (created_at);

-- Retention: a pass whose clock disagrees with PostgreSQL's is recorded 'refused' (nothing deleted).
alter table app.retention_passes drop constraint retention_passes_outcome_check;
alter table app.retention_passes add constraint retention_passes_outcome_check
  check (outcome in ('running', 'succeeded', 'failed', 'skipped', 'refused'));

-- Retention: the partitions a pass detached, recorded right before the DETACH and removed after the DROP. Only
-- these are ever dropped as leftovers: a table an operator detached on purpose is never touched.
create table app.retention_detached (
  table_name text primary key,
  parent text not null,
  pass_id uuid,
  detached_at timestamptz not null default now()
);

-- Export files expire EXPORT_FILE_TTL_DAYS after they were written: the object is deleted and the export becomes
-- 'expired' (row count, bytes and sha256 kept). The sweep finds candidates by finished_at.
alter table app.exports drop constraint exports_status_check;
alter table app.exports add constraint exports_status_check
  check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'));
alter table app.exports add column expired_at timestamptz;
create index exports_succeeded_finished_idx on app.exports (finished_at) where status = 'succeeded';

-- When periodic maintenance jobs (the file-expiry sweep) last finished: a missed run is caught up from this record.
create table app.maintenance_runs (
  job text primary key,
  last_finished_at timestamptz not null
);
