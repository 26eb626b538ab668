export * from './catalog';
export * from './connections';
export * from './queues';
export * from './worker';
export * from './report-schedulers';
export * from './queue-depth';
