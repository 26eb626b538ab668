export * from './app';
export * from './config';
export { createExportSchema } from './export-request';
export { openApiDocument, responseSchemas } from './openapi';
