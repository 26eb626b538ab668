export { formatBytes } from './format';
export { classifySendError, createSesSender, type MailMessage, type SendMail } from './ses-sender';
export { renderReportEmail } from './report-email';
export { dayLabel, describeChange, formatCount, rangeLabel, type ReportSummary } from './report-summary';
export { renderFailureNotice } from './failure-notice';
