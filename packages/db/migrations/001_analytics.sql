-- The marketplace's analytics tables (CONTRACT §2). Event tables are partitioned by month.
create schema if not exists analytics;

create table analytics.publishers (
  publisher_id text primary key,
  name text not null
);

create table analytics.packages (
  package_id text primary key,
  publisher_id text not null references analytics.publishers (publisher_id),
  name text not null
);
create index packages_publisher_idx on analytics.packages (publisher_id);

create table analytics.install_events (
  package_id text not null,
  version text not null,
  tenant_id text not null,
  tenant_region text not null,
  country_code char(2) not null,
  install_date timestamptz not null
) partition by range (install_date);
create index install_events_date_idx on analytics.install_events (install_date);
create index install_events_package_date_idx on analytics.install_events (package_id, install_date);

create table analytics.reviews (
  review_id text not null,
  package_id text not null,
  reviewer_id text not null,
  star_rating smallint not null check (star_rating between 1 and 5),
  body text,
  review_date timestamptz not null
) partition by range (review_date);
create index reviews_date_idx on analytics.reviews (review_date);
create index reviews_package_date_idx on analytics.reviews (package_id, review_date);

create table analytics.version_adoption_snapshots (
  snapshot_date date not null,
  package_id text not null,
  version text not null,
  active_tenant_count int not null
);
create index version_adoption_date_idx on analytics.version_adoption_snapshots (snapshot_date);
create index version_adoption_package_date_idx on analytics.version_adoption_snapshots (package_id, snapshot_date);

create table analytics.reputation_events (
  event_id text not null,
  publisher_id text not null,
  event_type text not null,
  points int not null,
  event_date timestamptz not null,
  source_id text
) partition by range (event_date);
create index reputation_events_date_idx on analytics.reputation_events (event_date);
create index reputation_events_publisher_date_idx on analytics.reputation_events (publisher_id, event_date);

create table analytics.marketplace_daily_summary (
  summary_date date primary key,
  total_installs int not null,
  active_publishers int not null,
  new_packages int not null,
  certifications_granted int not null
);

create table analytics.publisher_leaderboard_snapshots (
  snapshot_date date not null,
  publisher_id text not null,
  rank int not null,
  weighted_score numeric not null,
  tier text not null
);
create index leaderboard_date_idx on analytics.publisher_leaderboard_snapshots (snapshot_date, rank);

-- Month partitions named <table>_pYYYY_MM; bounds are UTC month starts.
create function analytics.ensure_month_partitions(parent text, first_month date, last_month date)
returns int language plpgsql as $$
declare
  m date := date_trunc('month', first_month)::date;
  created int := 0;
  child text;
begin
  while m <= last_month loop
    child := format('%s_p%s', parent, to_char(m, 'YYYY_MM'));
    if to_regclass(format('analytics.%I', child)) is null then
      execute format(
        'create table analytics.%I partition of analytics.%I for values from (%L) to (%L)',
        child, parent,
        (m::timestamp at time zone 'UTC'),
        ((m + interval '1 month')::timestamp at time zone 'UTC'));
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end $$;

select analytics.ensure_month_partitions(t, (date_trunc('month', current_date) - interval '25 months')::date,
                                         (date_trunc('month', current_date) + interval '3 months')::date)
from unnest(array['install_events', 'reviews', 'reputation_events']) as t;
