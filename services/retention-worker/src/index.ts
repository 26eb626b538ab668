export * from './boot';
export * from './config';
export * from './job';
export * from './processor';
export * from './schedule';
export * from './keeper';
export * from './file-expiry';
