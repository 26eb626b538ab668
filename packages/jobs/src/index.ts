export { jobCatalog, type PayloadOf } from './catalog';
export { checkEvictionPolicy, closeConnection, producerConnection, workerConnection } from './connections';
export { createQueues, enqueue, type Queues } from './queues';
export {
  closeWorker,
  createWorker,
  HandBack,
  type Handlers,
  type WorkerOptions,
  type JobContext,
  PermanentError,
  scheduledAtOf,
} from './worker';
export { listReportSchedulers, removeReportScheduler, upsertReportScheduler } from './report-schedulers';
export { queueDepthSource } from './queue-depth';
