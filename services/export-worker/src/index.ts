export * from './processor';
export * from './run-export';
export * from './failures';
export * from './config';
export * from './watchdog';
export * from './reports';
