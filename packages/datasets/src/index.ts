export * from './types';
export * from './registry';
export * from './access';
export * from './json-frame';
export * from './time-range';
export * from './report-periods';
export * from './time-slices';
export * from './period-count';
