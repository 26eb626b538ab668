export { buildApp } from './app';
export { apiConfigShape } from './config';
export { createExportSchema } from './export-request';
export { openApiDocument, responseSchemas } from './openapi';
