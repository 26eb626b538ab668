export { createExportWorker } from './processor';
export { exportWorkerEnv } from './config';
export { sweepStalledExports } from './watchdog';
export {
  createReportsWorker,
  DeliveriesPending,
  deliverReport,
  type ReconcileOptions,
  reconcileReports,
  type ReportDeps,
  reportExportFinished,
  triggerReport,
} from './reports';
