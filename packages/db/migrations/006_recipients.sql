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
