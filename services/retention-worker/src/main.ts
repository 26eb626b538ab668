// Retention worker process: declares the daily scheduler, runs passes from the retention queue,
// serves /metrics, /healthz and /readyz, and shuts down within a deadline.
import { loadConfigOrExit } from '@ax/config';
import { createSql } from '@ax/db';
import { checkEvictionPolicy, workerConnection } from '@ax/jobs';
import { createLogger, createMetrics, createShutdown, startOpsServer } from '@ax/runtime';
import { applyExportLifecycleRule, createStorage } from '@ax/storage';
import { passOptionsFrom } from '@ax/retention';
import { retentionWorkerEnv } from './config';
import { bootRetentionWorker } from './boot';
import { RETENTION_PATTERN, RETENTION_SCHEDULER_ID, RETENTION_TZ } from './schedule';

async function main() {
  const config = loadConfigOrExit(retentionWorkerEnv);
  const logger = createLogger('retention-worker', config.LOG_LEVEL);
  const metrics = createMetrics('retention-worker');
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  shutdown.listen();

  const sql = createSql(config.DATABASE_URL, { max: 3, applicationName: 'retention-worker' });
  shutdown.add('connections', 'postgres', () => sql.end({ timeout: 5 }));

  // Export files expire here too (hourly sweep). On AWS (S3_ENDPOINT empty) a bucket lifecycle rule backs the sweep up.
  const storage = createStorage(config);
  if (config.S3_ENDPOINT === '') {
    await applyExportLifecycleRule(storage, config.EXPORT_FILE_TTL_DAYS).catch((err) =>
      logger.warn(
        { err: (err as Error).message },
        'could not apply the bucket lifecycle rule; apply infra/aws/s3-lifecycle.json by hand',
      ),
    );
  }

  const connection = workerConnection(config.REDIS_URL, logger);
  shutdown.add('connections', 'redis', () => connection.quit());
  await checkEvictionPolicy(connection, logger);
  const replica = await bootRetentionWorker(
    {
      sql,
      metrics,
      pass: passOptionsFrom(config),
      expiry: { storage, ttlDays: config.EXPORT_FILE_TTL_DAYS },
    },
    {
      connection,
      prefix: config.QUEUE_PREFIX,
      logger,
      metrics,
      enabled: config.RETENTION_ENABLED,
      reconcileIntervalMs: config.RETENTION_RECONCILE_INTERVAL_MS,
    },
  );
  const worker = replica.worker;
  if (!config.RETENTION_ENABLED)
    logger.warn('RETENTION_ENABLED=false: scheduler removed, no passes run here (export files still expire)');
  shutdown.add('work', 'worker', async () => {
    // A pass stops between batches when aborted; what it finished stays done and recorded, the job retries.
    const grace =
      worker && setTimeout(() => worker.cancelAllJobs('shutdown'), Math.max(0, config.SHUTDOWN_TIMEOUT_MS - 3000));
    await replica.close();
    if (grace) clearTimeout(grace);
  });

  const ops = await startOpsServer({
    metrics,
    port: config.METRICS_PORT,
    host: config.METRICS_HOST,
    logger,
    ready: () => ({ worker: !worker || worker.isRunning(), redis: connection.status === 'ready' }),
  });
  shutdown.add('intake', 'metrics server', () => ops.close());
  logger.info(
    {
      enabled: config.RETENTION_ENABLED,
      scheduler: RETENTION_SCHEDULER_ID,
      pattern: RETENTION_PATTERN,
      tz: RETENTION_TZ,
      metricsPort: config.METRICS_PORT,
    },
    'retention worker started',
  );
}

main().catch((err) => {
  process.stderr.write(`retention-worker failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
