export { createSql, inTx, type Sql } from './client';
export { ensureDatabase, migrate, MigrationChangedError, migrationsDir } from './migrate';
export { withAggregateSession } from './aggregate-session';
export { type CopyQuery, copyStatement, copyValue, copyValueNames, renderCopyQuery } from './copy-query';
export { type CopyPool, createCopyPool, withCopyStream } from './copy-stream';
export {
  type ApiKeyRow,
  apiKeyView,
  createApiKey,
  findPrincipalByToken,
  listApiKeys,
  type Principal,
  revokeApiKey,
  type Role,
} from './api-keys';
export { foreignPackages, listPackages, listPublishers, publisherExists } from './publishers';
export {
  cancelExport,
  claimExport,
  claimIdempotencyKey,
  completeExport,
  countActiveExports,
  deleteQueuedExport,
  exportCovers,
  type ExportRow,
  type ExportStatus,
  failExport,
  findIdempotentExport,
  findStalledExports,
  getExport,
  insertExport,
  listExports,
  type NewExport,
  releaseExport,
  reportProgress,
  requeueExport,
  type Viewer,
} from './exports';
export {
  type ActiveSchedule,
  claimFailureNotice,
  deleteSchedule,
  getSchedule,
  getScheduleAnyState,
  insertSchedule,
  listLiveSchedules,
  listSchedules,
  owedFailureNotices,
  recordRunFailure,
  releaseFailureNotice,
  type ScheduleRow,
  updateSchedule,
} from './schedules';
export {
  claimRun,
  failRun,
  finishRunIfDone,
  getDeliveryContext,
  type DeliverySchedule,
  getRunForPeriod,
  lastRunError,
  listRunsWithDeliveries,
  openRuns,
  type RunPeriod,
  runPeriodStarts,
  type RunRow,
  type RunView,
} from './schedule-runs';
export {
  claimDelivery,
  type DeliveryRow,
  expireStaleClaims,
  failDisallowedRecipients,
  failUnclaimedDeliveries,
  getDeliveryLink,
  deliveriesToSend,
  type PendingDelivery,
  type SendRules,
  markDeliveryFailed,
  markDeliverySent,
  OUTCOME_UNKNOWN,
  releaseDelivery,
} from './deliveries';
export { listExpiringExports, maintenanceRunAge, markExportExpired, recordMaintenanceRun } from './export-expiry';
export {
  isUnsubscribed,
  suppressUnsubscribed,
  undoUnsubscribe,
  unsubscribe,
  unsubscribedBySchedule,
} from './unsubscribes';
export { LimitReached, returnEmailSlot, secondsToUtcMidnight } from './limits';
export { apiKeyName, createSession, deleteSession, findPrincipalBySession } from './sessions';
