// The time-series analytics tables retention applies to (CONTRACT §5: all of §2 but publishers and packages).
// Whether a table is partitioned is read from the catalog at run time, so a table partitioned later is handled too.

export type RetentionTable = {
  table: string;
  column: string;
  /** `timestamptz` columns compare with the cutoff instant, `date` columns with the cutoff day. */
  type: 'timestamptz' | 'date';
};

export const RETENTION_TABLES: readonly RetentionTable[] = [
  { table: 'install_events', column: 'install_date', type: 'timestamptz' },
  { table: 'reviews', column: 'review_date', type: 'timestamptz' },
  { table: 'reputation_events', column: 'event_date', type: 'timestamptz' },
  { table: 'version_adoption_snapshots', column: 'snapshot_date', type: 'date' },
  { table: 'marketplace_daily_summary', column: 'summary_date', type: 'date' },
  { table: 'publisher_leaderboard_snapshots', column: 'snapshot_date', type: 'date' },
];
