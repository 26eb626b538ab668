// API process: config, connections, listen, graceful shutdown.
import { loadConfigOrExit } from '@ax/config';
import { createSql } from '@ax/db';
import { checkEvictionPolicy, closeConnection, createQueues, producerConnection } from '@ax/jobs';
import { createLogger, createMetrics, createShutdown, startOpsServer } from '@ax/runtime';
import { createStorage, ensureBucket } from '@ax/storage';
import { buildApp } from './app';
import { parseDomainList } from './schedule-request';
import { apiConfigShape } from './config';

async function main() {
  const config = loadConfigOrExit(apiConfigShape);
  const logger = createLogger('api', config.LOG_LEVEL);
  const metrics = createMetrics('api');
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  shutdown.listen();

  const sql = createSql(config.DATABASE_URL, { max: 10, applicationName: 'api' });
  shutdown.add('connections', 'postgres', () => sql.end({ timeout: 5 }));
  const redis = producerConnection(config.REDIS_URL);
  shutdown.add('connections', 'redis', () => closeConnection(redis));
  const queues = createQueues(redis, config.QUEUE_PREFIX, (err) => logger.warn({ err: err.message }, 'queue error'));
  shutdown.add('producers', 'queues', () => queues.close());
  redis.once('ready', () => void checkEvictionPolicy(redis, logger));
  const storage = createStorage(config);
  await ensureBucket(storage).catch((err: Error) => logger.warn({ err: err.message }, 'bucket check failed'));

  const reports = {
    linkSecret: config.LINK_SIGNING_SECRET,
    linkTtlDays: config.LINK_TTL_DAYS,
    recipientDomains: parseDomainList(config.RECIPIENT_DOMAIN_ALLOWLIST),
  };
  const app = buildApp({
    sql,
    redis,
    queues,
    storage,
    logger,
    metrics,
    reports,
    limits: {
      activeExports: config.EXPORT_ACTIVE_LIMIT,
      manualRunsPerDay: config.REPORT_MANUAL_RUNS_PER_DAY,
      schedulesPerPublisher: config.SCHEDULES_PER_PUBLISHER,
    },
    retentionMonths: config.RETENTION_MONTHS,
  });
  const server = app.listen(config.PORT, config.HOST, () =>
    logger.info({ port: config.PORT, host: config.HOST }, 'api listening'),
  );
  shutdown.add('intake', 'http', () => new Promise((resolve) => server.close(() => resolve(undefined))));
  // Prometheus scrapes the ops port, never the public one.
  const ops = await startOpsServer({
    metrics,
    port: config.METRICS_PORT,
    host: config.METRICS_HOST,
    logger,
    ready: () => ({ redis: redis.status === 'ready' }),
  });
  shutdown.add('intake', 'metrics server', () => ops.close());
}

main().catch((err) => {
  process.stderr.write(`api failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
