export * from './deps';
export * from './trigger';
export * from './deliver';
export * from './reconcile';
export * from './reports-worker';
export * from './failure-notice';
