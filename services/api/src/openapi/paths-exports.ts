// Paths of one-off exports: create, list, read, cancel, download, and a JSON export's document.
import { listExportsQuery } from '../routes/exports';
import { queryParameters, json, ok, errors, idParam, body, op, type Paths } from './parts';

export const exportPaths: Paths = {
  '/v1/exports': {
    post: op('createExport', {
      tags: ['exports'],
      summary: 'Request an export (asynchronous)',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Same key and body → the same export; same key, other body → 409',
          schema: { type: 'string', maxLength: 200 },
        },
      ],
      requestBody: body('CreateExport'),
      responses: {
        202: {
          description: 'Accepted; `Location` points at the export',
          headers: { Location: { schema: { type: 'string' } } },
          ...json('Export'),
        },
        ...errors(400, 401, 403, 404, 409, 422, 429, 503),
      },
    }),
    get: op('listExports', {
      tags: ['exports'],
      summary: 'List exports, newest first',
      parameters: queryParameters(listExportsQuery),
      responses: { 200: ok('A page of exports', 'ExportList'), ...errors(400, 401) },
    }),
  },
  '/v1/exports/{id}': {
    get: op('getExport', {
      tags: ['exports'],
      summary: 'One export',
      parameters: [idParam('export')],
      responses: { 200: ok('The export', 'Export'), ...errors(401, 404) },
    }),
    delete: op('cancelExport', {
      tags: ['exports'],
      summary: 'Cancel a queued or running export',
      parameters: [idParam('export')],
      responses: { 200: ok('The cancelled export', 'Export'), ...errors(401, 403, 404, 409) },
    }),
  },
  '/v1/exports/{id}/download': {
    get: op('downloadExport', {
      tags: ['exports'],
      summary: 'Redirect to a freshly signed URL of the file',
      parameters: [idParam('export')],
      responses: {
        302: {
          description: 'Redirect to the file',
          headers: { Location: { schema: { type: 'string', format: 'uri' } } },
        },
        ...errors(401, 404, 409, 410),
      },
    }),
  },
  '/v1/exports/{id}/json': {
    get: op('getExportJson', {
      tags: ['exports'],
      summary:
        "A succeeded JSON export's file through the API (gzip files with Content-Encoding: gzip), for the web page's chart",
      parameters: [idParam('export')],
      responses: { 200: ok('The JSON file', 'ExportJsonFile'), ...errors(401, 404, 409) },
    }),
  },
};
