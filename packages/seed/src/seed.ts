// Synthetic marketplace data, generated inside PostgreSQL (INSERT … SELECT generate_series): millions of rows
// in seconds, deterministic for a given seed, spread over the retained window ending today.
import { inTx, type Sql } from '@ax/db';

export type SeedOptions = {
  publishers: number;
  packagesPerPublisher: number;
  installs: number;
  reviews: number;
  reputationEvents: number;
  /** How far back the data reaches, in days (inside the 24-month retention window by default). */
  days: number;
  /** Delete existing analytics rows first. */
  replace: boolean;
  seed: number;
};

export const defaultSeed: SeedOptions = {
  publishers: 20,
  packagesPerPublisher: 5,
  installs: 200_000,
  reviews: 20_000,
  reputationEvents: 10_000,
  days: 720,
  replace: true,
  seed: 42,
};

export type SeedCounts = Record<string, number>;

export async function seed(sql: Sql, options: Partial<SeedOptions> = {}): Promise<SeedCounts> {
  const o = { ...defaultSeed, ...options };
  return sql.begin(async (t) => {
    const tx = inTx(t);
    await tx`select setseed(${(o.seed % 1000) / 1000})`;
    if (o.replace) {
      await tx`truncate analytics.install_events, analytics.reviews, analytics.version_adoption_snapshots,
               analytics.reputation_events, analytics.marketplace_daily_summary, analytics.publisher_leaderboard_snapshots,
               analytics.packages, analytics.publishers`;
    }
    await tx`
      insert into analytics.publishers (publisher_id, name)
      select 'pub-' || lpad(g::text, 3, '0'), (array['Acme','Globex','Initech','Umbrella','Hooli','Stark','Wayne','Wonka'])[1 + g % 8] || ' Software ' || g
      from generate_series(1, ${o.publishers}) g
      on conflict do nothing`;
    await tx`
      insert into analytics.packages (package_id, publisher_id, name)
      select 'pkg-' || lpad(p::text, 3, '0') || '-' || lpad(k::text, 2, '0'), 'pub-' || lpad(p::text, 3, '0'),
             (array['connector','dashboard','sync','backup','auth','billing','search','notify'])[1 + (p * 7 + k) % 8] || '-' || p || '-' || k
      from generate_series(1, ${o.publishers}) p, generate_series(1, ${o.packagesPerPublisher}) k
      on conflict do nothing`;
    const start = tx`(date_trunc('day', now()) - make_interval(days => ${o.days}))`;
    const pkg = tx`'pkg-' || lpad((1 + floor(power(random(), 1.5) * ${o.publishers}))::text, 3, '0') || '-' || lpad((1 + floor(random() * ${o.packagesPerPublisher}))::text, 2, '0')`;
    // Times grow with g, so each month's rows are contiguous, as the marketplace would write them.
    await tx`
      insert into analytics.install_events (package_id, version, tenant_id, tenant_region, country_code, install_date)
      select ${pkg},
             '1.' || floor(random() * 6)::int || '.' || floor(random() * 10)::int,
             'tenant-' || floor(random() * 20000)::int,
             (array['us-east','us-west','eu-west','eu-central','ap-south','ap-northeast','sa-east'])[1 + floor(random() * 7)::int],
             (array['US','DE','GB','FR','IN','JP','BR','CA','AU','NL','SE','ES'])[1 + floor(power(random(), 2) * 12)::int],
             ${start} + (g::float8 / ${o.installs}) * make_interval(days => ${o.days}) + random() * interval '10 minutes'
      from generate_series(1, ${o.installs}) g`;
    await tx`
      insert into analytics.reviews (review_id, package_id, reviewer_id, star_rating, body, review_date)
      select 'rev-' || g, ${pkg}, 'reviewer-' || floor(random() * 5000)::int,
             (array[1,2,3,4,4,5,5,5])[1 + floor(random() * 8)::int],
             (array['Works great.','Setup was confusing, support helped.','Crashes on large tenants.','Exactly what we needed!','Meh.'])[1 + floor(random() * 5)::int],
             ${start} + (g::float8 / ${o.reviews}) * make_interval(days => ${o.days})
      from generate_series(1, ${o.reviews}) g`;
    await tx`
      insert into analytics.reputation_events (event_id, publisher_id, event_type, points, event_date, source_id)
      select 'rep-' || x.g, x.publisher_id, t.type, t.points, x.event_date, x.source_id
      from (select g, floor(random() * 5)::int as i,
                   'pub-' || lpad((1 + floor(random() * ${o.publishers}))::text, 3, '0') as publisher_id,
                   ${start} + (g::float8 / ${o.reputationEvents}) * make_interval(days => ${o.days}) as event_date,
                   'src-' || floor(random() * 100000)::int as source_id
            from generate_series(1, ${o.reputationEvents}) g) x
      join (values (0, 'certification', 50), (1, 'review_bonus', 5), (2, 'incident', -20), (3, 'sla_breach', -10), (4, 'featured', 25))
           as t (i, type, points) using (i)`;
    await tx`
      insert into analytics.version_adoption_snapshots (snapshot_date, package_id, version, active_tenant_count)
      select d::date, p.package_id, '1.' || v || '.0', greatest(0, (100 + 40 * v - extract(day from now() - d)::int / 10 + floor(random() * 20))::int)
      from generate_series(${start}, now(), interval '7 days') d, analytics.packages p, generate_series(0, 3) v`;
    await tx`
      insert into analytics.marketplace_daily_summary (summary_date, total_installs, active_publishers, new_packages, certifications_granted)
      select d::date, ${Math.max(1, Math.round(o.installs / o.days))} + floor(random() * 50)::int, ${o.publishers} - floor(random() * 3)::int,
             floor(random() * 4)::int, floor(random() * 2)::int
      from generate_series(${start}, now() - interval '1 day', interval '1 day') d
      on conflict (summary_date) do nothing`;
    await tx`
      insert into analytics.publisher_leaderboard_snapshots (snapshot_date, publisher_id, rank, weighted_score, tier)
      select d::date, s.publisher_id, row_number() over (partition by d order by s.score desc)::int, round(s.score::numeric, 2),
             case when s.score > 80 then 'platinum' when s.score > 60 then 'gold' when s.score > 40 then 'silver' else 'bronze' end
      from generate_series(${start}, now(), interval '7 days') d,
           lateral (select publisher_id, random() * 100 as score from analytics.publishers) s`;
    const counts = await tx<{ t: string; n: number }[]>`
      select 'publishers' t, count(*)::int n from analytics.publishers union all
      select 'packages', count(*)::int from analytics.packages union all
      select 'install_events', count(*)::int from analytics.install_events union all
      select 'reviews', count(*)::int from analytics.reviews union all
      select 'version_adoption_snapshots', count(*)::int from analytics.version_adoption_snapshots union all
      select 'reputation_events', count(*)::int from analytics.reputation_events union all
      select 'marketplace_daily_summary', count(*)::int from analytics.marketplace_daily_summary union all
      select 'publisher_leaderboard_snapshots', count(*)::int from analytics.publisher_leaderboard_snapshots`;
    await tx`analyze analytics.install_events`;
    return Object.fromEntries(counts.map((c) => [c.t, c.n]));
  });
}
