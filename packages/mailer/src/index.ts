export * from './ses-sender';
export * from './report-email';
