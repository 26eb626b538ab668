export { bootRetentionWorker, type RetentionReplica } from './boot';
export { retentionWorkerEnv } from './config';
export { runRetentionJob } from './job';
export { RETENTION_SCHEDULER_ID } from './schedule';
export { EXPIRY_SCHEDULER_ID, sweepExpiredFiles } from './file-expiry';
