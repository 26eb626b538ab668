export { type ReportDeps } from './deps';
export { triggerReport } from './trigger';
export { DeliveriesPending, deliverReport } from './deliver';
export { type ReconcileOptions, reconcileReports } from './reconcile';
export { createReportsWorker, reportExportFinished, startReconciler } from './reports-worker';
