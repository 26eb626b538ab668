import { copyValueNames } from '@ax/db';
import { allDatasets, getDataset } from './registry';
import { datasetIds, type DatasetScope } from './types';

// CONTRACT §3, verbatim.
const contractColumns: Record<string, string> = {
  install_events: 'package_id,version,tenant_region,install_date',
  reviews: 'package_id,star_rating,review_date',
  version_adoption: 'package_id,version,active_tenant_count,snapshot_date',
  geographic_summary: 'country_code,period_date,install_count',
  reputation_events: 'event_type,points,event_date,source_id',
  marketplace_summary: 'summary_date,total_installs,active_publishers,new_packages,certifications_granted',
  leaderboard_history: 'snapshot_date,publisher_id,rank,weighted_score,tier',
};

const hostileScope: DatasetScope = {
  from: new Date('2026-03-28T23:00:00Z'),
  to: new Date('2026-04-02T22:00:00Z'),
  timezone: 'Europe/Berlin',
  granularity: 'week',
  publisherId: "pub'); drop table x; --",
  packageIds: ["pkg'a", 'pkg"b'],
};

describe('dataset registry', () => {
  it("defines every dataset with the contract's columns, access and empty metrics", () => {
    expect(
      allDatasets()
        .map((d) => d.id)
        .sort(),
    ).toEqual([...datasetIds].sort());
    for (const d of allDatasets()) {
      expect(d.columns.join(',')).toBe(contractColumns[d.id]);
      expect(d.adminOnly).toBe(d.id === 'marketplace_summary' || d.id === 'leaderboard_history');
      expect(d.ownership).toBe(d.adminOnly ? 'none' : d.id === 'reputation_events' ? 'publisher' : 'packages');
      expect(() => JSON.parse(d.emptyMetrics)).not.toThrow();
    }
  });

  it('finds datasets by id and nothing else', () => {
    expect(getDataset('reviews')?.id).toBe('reviews');
    expect(getDataset('toString')).toBeUndefined();
    expect(getDataset('nope')).toBeUndefined();
  });

  it('keeps scope values out of the COPY text, and carries every value the text reads', () => {
    for (const d of allDatasets()) {
      const q = d.csv(hostileScope);
      for (const v of [
        hostileScope.publisherId!,
        ...hostileScope.packageIds!,
        hostileScope.timezone,
        '2026-03-28',
        '2026-04-02',
      ])
        expect({ dataset: d.id, leaks: q.text.includes(v) }).toEqual({ dataset: d.id, leaks: false });
      const read = copyValueNames(q.text);
      expect(read.length).toBeGreaterThan(0);
      expect({ dataset: d.id, missing: read.filter((name) => !(name in q.values)) }).toEqual({
        dataset: d.id,
        missing: [],
      });
      expect(q.text).not.toContain('current_setting');
      expect(q.text).not.toMatch(/reviewer_id|\bbody\b/);
    }
  });

  it('scopes per-publisher datasets by the publisher and leaves admin-only ones unscoped', () => {
    for (const d of allDatasets()) {
      const q = d.csv(hostileScope);
      if (d.ownership === 'none') expect(q.values.publisher_id).toBeUndefined();
      else
        expect({ dataset: d.id, publisher: copyValueNames(q.text).includes('publisher_id') }).toEqual({
          dataset: d.id,
          publisher: true,
        });
      if (d.ownership === 'packages') expect(copyValueNames(q.text)).toContain('package_ids');
    }
  });

  it('turns the range into local days for date-typed tables', () => {
    for (const id of ['version_adoption', 'marketplace_summary', 'leaderboard_history']) {
      // 28 Mar 23:00 UTC is 29 Mar 00:00 in Berlin (CET); 2 Apr 22:00 UTC is 3 Apr 00:00 (CEST).
      expect(getDataset(id)!.csv(hostileScope).values).toMatchObject({ from_day: '2026-03-29', to_day: '2026-04-03' });
    }
  });
});
