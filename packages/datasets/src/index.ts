export {
  type Dataset,
  type DatasetId,
  datasetIds,
  type DatasetScope,
  formats,
  granularities,
  type Granularity,
} from './types';
export { allDatasets, datasetTitle, getDataset } from './registry';
export { effectivePublisher, mayExport } from './access';
export { jsonDocument } from './json-frame';
export { isValidTimeZone, resolveInstant } from './time-range';
export {
  cronPattern,
  duePeriods,
  frequencies,
  isComplete,
  nextRunAt,
  periodCoveredBy,
  periodStartingOn,
  previousPeriod,
  type ReportPeriod,
} from './report-periods';
export { planTimeSlices } from './time-slices';
export { exportScope, type SourceDeps, withExportSource } from './export-source';
export { countPeriods, MAX_JSON_PERIODS } from './period-count';
export { topPackages } from './top-packages';
// The SQL the COPY reader's record finishing replaces (test/copy-stream.test.ts compares the two byte for byte).
export { textCell, utcTimestamp } from './sql-fragments';
