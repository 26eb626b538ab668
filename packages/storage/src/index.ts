export { createStorage, ensureBucket, type Storage } from './s3';
export {
  deleteObject,
  exportFile,
  exportKey,
  openObject,
  PART_SIZE,
  presignDownload,
  storageReachable,
  uploadStream,
} from './objects';
export { reportLinkUrl, signReportLink, verifyReportLink } from './report-link';
export { applyExportLifecycleRule } from './lifecycle';
export { signUnsubscribe, unsubscribeUrl, verifyUnsubscribe } from './unsubscribe-token';
