export * from './app';
export * from './config';
export { createExportSchema } from './export-request';
export { openApiDocument } from './openapi';
