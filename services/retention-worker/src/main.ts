// Retention worker process: declares the daily scheduler, runs passes from the retention queue,
// serves /metrics, /healthz and /readyz, and shuts down within a deadline.
import { createServer } from 'node:http';
import { loadConfigOrExit } from '@ax/config';
import { createSql } from '@ax/db';
import { checkEvictionPolicy, createQueues, workerConnection } from '@ax/jobs';
import { createLogger, createMetrics, createShutdown } from '@ax/runtime';
import { retentionWorkerEnv } from './config';
import { createRetentionWorker } from './processor';
import { declareRetentionSchedule, removeRetentionSchedule, RETENTION_PATTERN, RETENTION_SCHEDULER_ID, RETENTION_TZ } from './schedule';

async function main() {
  const config = loadConfigOrExit(retentionWorkerEnv);
  const logger = createLogger('retention-worker', config.LOG_LEVEL);
  const metrics = createMetrics('retention-worker');
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  shutdown.listen();

  const sql = createSql(config.DATABASE_URL, { max: 3, applicationName: 'retention-worker' });
  shutdown.add('postgres', () => sql.end({ timeout: 5 }));

  const connection = workerConnection(config.REDIS_URL, logger);
  shutdown.add('redis', () => connection.quit());
  await checkEvictionPolicy(connection, logger);
  const queues = createQueues(connection, config.QUEUE_PREFIX, (err) => logger.error({ err }, 'queue error'));
  shutdown.add('queues', () => queues.close());

  let worker: ReturnType<typeof createRetentionWorker> | undefined;
  if (config.RETENTION_ENABLED) {
    await declareRetentionSchedule(queues);
    worker = createRetentionWorker(
      {
        sql,
        metrics,
        pass: {
          retentionMonths: config.RETENTION_MONTHS,
          batchSize: config.RETENTION_BATCH_SIZE,
          lockTimeoutMs: config.RETENTION_LOCK_TIMEOUT_MS,
          lockAttempts: config.RETENTION_LOCK_ATTEMPTS,
          futureMonths: config.RETENTION_FUTURE_MONTHS,
        },
      },
      { connection, prefix: config.QUEUE_PREFIX, logger, metrics },
    );
    const w = worker;
    shutdown.add('worker', async () => {
      // A pass stops between batches when aborted; whatever it finished stays done and recorded.
      const grace = setTimeout(() => w.cancelAllJobs('shutdown'), Math.max(0, config.SHUTDOWN_TIMEOUT_MS - 3000));
      await w.close();
      clearTimeout(grace);
    });
  } else {
    await removeRetentionSchedule(queues);
    logger.warn('RETENTION_ENABLED=false: no scheduler, no passes');
  }

  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', metrics.registry.contentType);
      return res.end(await metrics.registry.metrics());
    }
    if (req.url === '/healthz') return res.end('ok');
    if (req.url === '/readyz') {
      const ok = (!worker || worker.isRunning()) && connection.status === 'ready';
      res.statusCode = ok ? 200 : 503;
      return res.end(ok ? 'ready' : 'not ready');
    }
    res.statusCode = 404;
    res.end();
  });
  server.listen(config.METRICS_PORT, config.METRICS_HOST);
  shutdown.add('metrics server', () => new Promise((resolve) => server.close(() => resolve(undefined))));
  logger.info(
    { enabled: config.RETENTION_ENABLED, scheduler: RETENTION_SCHEDULER_ID, pattern: RETENTION_PATTERN, tz: RETENTION_TZ, metricsPort: config.METRICS_PORT },
    'retention worker started',
  );
}

main().catch((err) => {
  process.stderr.write(`retention-worker failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
