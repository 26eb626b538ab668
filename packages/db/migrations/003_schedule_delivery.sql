-- Scheduled reports: from when a schedule's periods are owed (catch-up never reaches before it),
-- per-delivery send claims (the crash window between SES and our record), and indexes for the sweeps.
alter table app.schedules add column active_from timestamptz not null default now();

-- A delivery is claimed (claimed_at, claim_token) right before the SES call. A claim that outlives the
-- send timeout means the sender died mid-call: it is never sent again (at most once), see schedule-runs.ts.
alter table app.deliveries add column claimed_at timestamptz;
alter table app.deliveries add column claim_token uuid;

create index schedules_owner_idx on app.schedules (owner_publisher_id, created_at desc, id desc) where deleted_at is null;
create index schedule_runs_open_idx on app.schedule_runs (created_at) where status in ('queued', 'running');
create index schedule_runs_schedule_idx on app.schedule_runs (schedule_id, period_start desc, sequence desc);
create index exports_run_idx on app.exports (run_id) where run_id is not null;
