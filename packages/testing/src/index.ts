export * from './seed';
export * from './fixtures';
