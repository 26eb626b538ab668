export * from './format';
export * from './ses-sender';
export * from './report-email';
export * from './report-summary';
export * from './failure-notice';
export * from './report-view';
