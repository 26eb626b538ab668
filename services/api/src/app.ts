// Builds the Express app from its dependencies; no listen here, so tests drive it directly.
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Sql } from '@ax/db';
import { queueDepthSource, type Queues } from '@ax/jobs';
import type { Logger, Metrics } from '@ax/runtime';
import type { Storage } from '@ax/storage';
import { adminBoardRoutes, ADMIN_BOARD_PATH } from './admin-board';
import { apiKeyRoutes } from './routes/api-keys';
import { requireAuth } from './auth';
import { errorHandler, notFound, sendError } from './errors';
import { datasetRoutes } from './routes/datasets';
import { docsRoutes } from './routes/docs';
import { exportRoutes } from './routes/exports';
import { exportJsonRoutes } from './routes/export-json';
import { healthRoutes } from './routes/health';
import { reportLinkRoutes } from './routes/report-links';
import { retentionRoutes } from './routes/retention';
import { requestContext } from './request-context';
import { scheduleRoutes } from './routes/schedules';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { webAppRoutes } from './web-app';
import { emailPreviewRoutes } from './routes/email-preview';
import { sessionRoutes } from './routes/sessions';
import { lookupRoutes } from './routes/lookups';

export type AppDeps = {
  sql: Sql;
  redis: Redis;
  queues: Queues;
  storage: Storage;
  logger: Logger;
  metrics?: Metrics;
  limits?: { activeExports?: number; manualRunsPerDay?: number; schedulesPerPublisher?: number };
  /** The clock retention checks use; tests with fixed dates pin it. */
  now?: () => Date;
  /** Scheduled reports: the e-mail link secret and the optional recipient domain allow-list. */
  reports?: { linkSecret: string; recipientDomains: string[]; linkTtlDays?: number };
  /** Months of analytics data kept (RETENTION_MONTHS, always given); requests for older data get 422. */
  retentionMonths: number;
  /** The built web page (default services/web/dist). */
  webDist?: string;
};

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext(deps));
  app.use(express.json({ limit: '100kb' }));

  app.use(healthRoutes(deps));
  // /metrics is not served here: it is on the ops port (METRICS_PORT, main.ts), kept off the public API port.
  if (deps.metrics) deps.metrics.addQueueDepthSource(queueDepthSource(deps.queues));

  app.use(docsRoutes());
  app.use(ADMIN_BOARD_PATH, adminBoardRoutes(deps));

  // Report e-mail links carry their own signed token: mounted before the bearer-authenticated routes.
  if (deps.reports)
    app.use(
      '/v1/report-links',
      reportLinkRoutes({ ...deps, linkSecret: deps.reports.linkSecret, linkTtlDays: deps.reports.linkTtlDays ?? 14 }),
    );
  if (deps.reports) app.use('/v1/unsubscribe', unsubscribeRoutes({ ...deps, linkSecret: deps.reports.linkSecret }));

  // Signing in and out come before authentication: they are how a browser gets and drops its session.
  app.use('/v1/sessions', sessionRoutes(deps));

  const v1 = express.Router();
  v1.use(requireAuth(deps.sql));
  v1.use(lookupRoutes(deps));
  const now = deps.now ?? (() => new Date());
  const redisReady = () => deps.redis.status === 'ready';
  v1.use('/datasets', datasetRoutes(now, deps.retentionMonths));
  v1.use('/schedules/preview-email', emailPreviewRoutes({ now: deps.now }));
  v1.use(
    '/schedules',
    scheduleRoutes({
      ...deps,
      redisReady,
      recipientDomains: deps.reports?.recipientDomains ?? [],
      manualRunsPerDay: deps.limits?.manualRunsPerDay,
      schedulesPerPublisher: deps.limits?.schedulesPerPublisher,
    }),
  );
  v1.use('/exports', exportJsonRoutes(deps));
  v1.use('/exports', exportRoutes({ ...deps, redisReady, activeLimit: deps.limits?.activeExports ?? 20, now }));
  v1.use('/retention', retentionRoutes({ ...deps, now }));
  v1.use('/api-keys', apiKeyRoutes({ ...deps, redisReady }));
  app.use('/v1', v1);
  app.use(webAppRoutes({ sql: deps.sql, logger: deps.logger, dist: deps.webDist }));

  app.use((_req, res) => sendError(res, notFound('route')));
  app.use(errorHandler(deps.logger));
  return app;
}
