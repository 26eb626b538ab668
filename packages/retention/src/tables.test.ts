import { RETENTION_TABLES } from './tables';

describe('RETENTION_TABLES (derived from the dataset definitions)', () => {
  it('lists every time-series table of CONTRACT §2 once, with its time column and type', () => {
    expect(RETENTION_TABLES.map(({ table, column, type }) => [table, column, type])).toEqual([
      ['install_events', 'install_date', 'timestamptz'],
      ['reviews', 'review_date', 'timestamptz'],
      ['reputation_events', 'event_date', 'timestamptz'],
      ['version_adoption_snapshots', 'snapshot_date', 'date'],
      ['marketplace_daily_summary', 'summary_date', 'date'],
      ['publisher_leaderboard_snapshots', 'snapshot_date', 'date'],
    ]);
  });
  it('knows whose rows each table holds', () => {
    const owner = Object.fromEntries(RETENTION_TABLES.map((t) => [t.table, t.ownership]));
    expect(owner).toEqual({
      install_events: 'packages',
      reviews: 'packages',
      version_adoption_snapshots: 'packages',
      reputation_events: 'publisher',
      marketplace_daily_summary: 'none',
      publisher_leaderboard_snapshots: 'none',
    });
  });
});
