export * from './s3';
export * from './objects';
export * from './report-link';
export * from './lifecycle';
export * from './unsubscribe-token';
