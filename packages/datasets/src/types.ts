// What every dataset declares: access, CSV columns and COPY query, JSON metrics aggregate.
import type { CopyQuery, Sql } from '@ax/db';
import type { PendingQuery, Row } from 'postgres';

export const datasetIds = [
  'install_events',
  'reviews',
  'version_adoption',
  'geographic_summary',
  'reputation_events',
  'marketplace_summary',
  'leaderboard_history',
] as const;
export type DatasetId = (typeof datasetIds)[number];

export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

export const formats = ['csv', 'json'] as const;
export type Format = (typeof formats)[number];

/** Everything a dataset query may be narrowed by. Null means "not restricted". */
export type DatasetScope = {
  from: Date;
  to: Date;
  timezone: string;
  granularity: Granularity;
  /** Only rows of this publisher (a publisher's own data, or an admin's filter). */
  publisherId: string | null;
  /** Only these packages (already checked against publisherId). */
  packageIds: string[] | null;
};

export type Dataset = {
  id: DatasetId;
  /** People's name for the dataset: a report e-mail's first words, the unsubscribe page. */
  title: string;
  adminOnly: boolean;
  /** What a publisher filter applies to: its packages, its own account, or nothing (admin-only data). */
  ownership: 'packages' | 'publisher' | 'none';
  columns: readonly string[];
  /** The analytics table and column retention and range checks are about (the retention registry is derived from these). */
  table: string;
  timeColumn: string;
  /** `timestamptz` columns compare with the retention cutoff instant, `date` columns with the cutoff day. */
  timeType: 'timestamptz' | 'date';
  /**
   * True when the CSV lists raw rows ordered by `timeColumn` first and filtered to [from, to) on it: the CSVs of
   * consecutive time ranges then concatenate into the CSV of the whole range, so it can be copied in slices.
   */
  csvSplitsByTime: boolean;
  /** A SELECT yielding the CSV columns in order, for COPY; values travel apart and are quoted in by the server. */
  csv(scope: DatasetScope): CopyQuery;
  /**
   * An aggregate yielding `local_start` (the period's start as a local timestamp in scope.timezone)
   * and `metrics` (json) per non-empty period; the frame adds empty periods with `emptyMetrics`.
   */
  jsonAggregate(sql: Sql, scope: DatasetScope): PendingQuery<Row[]>;
  emptyMetrics: string;
};
