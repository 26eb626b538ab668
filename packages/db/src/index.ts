export * from './client';
export * from './migrate';
export * from './copy-stream';
export * from './api-keys';
export * from './publishers';
export * from './exports';
