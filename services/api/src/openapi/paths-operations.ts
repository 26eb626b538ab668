// Paths for operators: health, readiness, metrics, the document itself, the docs page and the queue board.
import { ok, html, errors, op, open, type Paths } from './parts';

export const operationPaths: Paths = {
  '/healthz': {
    get: open('getHealth', {
      tags: ['operations'],
      summary: 'Liveness',
      responses: { 200: ok('The process answers', 'Health') },
    }),
  },
  '/readyz': {
    get: open('getReadiness', {
      tags: ['operations'],
      summary: 'Readiness: PostgreSQL, Redis and S3 reachable',
      responses: { 200: ok('Ready', 'Readiness'), 503: ok('Not ready; see `checks` and Retry-After', 'Readiness') },
    }),
  },
  // Served on the ops port (METRICS_PORT), not on this server: the path's own `servers` says so.
  '/metrics': {
    servers: [
      { url: 'http://127.0.0.1:9466', description: 'The ops port (METRICS_HOST:METRICS_PORT), not the API port' },
    ],
    get: open('getMetrics', {
      tags: ['operations'],
      summary: 'Prometheus metrics: served on the ops port (METRICS_PORT, default 9466), not on the API port',
      responses: {
        200: { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    }),
  },
  '/openapi.json': {
    get: open('getOpenApi', {
      tags: ['operations'],
      summary: 'This document',
      responses: {
        200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    }),
  },
  '/docs': {
    get: open('getDocs', {
      tags: ['operations'],
      summary: 'Swagger UI for this document',
      responses: { 200: html('HTML') },
    }),
  },
  '/admin/queues': {
    get: op('getQueueDashboard', {
      tags: ['operations'],
      summary: 'bull-board queue dashboard (admins: bearer key or session cookie)',
      responses: {
        200: html('The dashboard (HTML)'),
        303: { description: 'A browser page load without a session: to /sign-in and back' },
        ...errors(401, 403),
      },
    }),
  },
};
