// Export worker process: loads config, connects, processes export jobs, serves /metrics, shuts down in time.
import { loadConfigOrExit } from '@ax/config';
import { createCopyPool, createSql } from '@ax/db';
import {
  checkEvictionPolicy,
  closeConnection,
  closeWorker,
  createQueues,
  queueDepthSource,
  workerConnection,
} from '@ax/jobs';
import { createSesSender } from '@ax/mailer';
import { createLogger, createMetrics, createShutdown, startOpsServer } from '@ax/runtime';
import { createStorage, ensureBucket } from '@ax/storage';
import { exportWorkerEnv } from './config';
import { createExportWorker } from './processor';
import { createReportsWorker, reportExportFinished, startReconciler, type ReportDeps } from './reports';
import { sweepStalledExports } from './watchdog';

async function main() {
  const config = loadConfigOrExit(exportWorkerEnv);
  const logger = createLogger('export-worker', config.LOG_LEVEL);
  const metrics = createMetrics('export-worker');
  const shutdown = createShutdown(logger, config.SHUTDOWN_TIMEOUT_MS);
  shutdown.listen();

  const analyticsUrl = config.ANALYTICS_DATABASE_URL ?? config.DATABASE_URL;
  const sql = createSql(config.DATABASE_URL, { max: 5, applicationName: 'export-worker' });
  // Analytics queries run on clients of their own, under ANALYTICS_STATEMENT_TIMEOUT_MS: control-table writes never do.
  const statementTimeoutMs = config.ANALYTICS_STATEMENT_TIMEOUT_MS;
  const analyticsSql = createSql(analyticsUrl, { max: 5, applicationName: 'export-worker', statementTimeoutMs });
  // Every running export may hold one connection per slice: with fewer, two exports could each wait for the other's.
  const copyPool = createCopyPool(analyticsUrl, config.EXPORT_CONCURRENCY * config.EXPORT_COPY_PARALLELISM, {
    statementTimeoutMs,
  });
  shutdown.add('connections', 'postgres', async () => {
    await copyPool.end();
    await sql.end({ timeout: 2 });
    await analyticsSql.end({ timeout: 2 });
  });
  const storage = createStorage(config);
  await ensureBucket(storage).catch((err: Error) =>
    logger.warn({ err: err.message }, 'bucket check failed; uploads will retry'),
  );

  const connection = workerConnection(config.REDIS_URL, logger);
  shutdown.add('connections', 'redis', () => closeConnection(connection));
  await checkEvictionPolicy(connection, logger);

  // Scheduled reports: producers for follow-up jobs, the reports worker, and the reconciler loop.
  const queueConnection = workerConnection(config.REDIS_URL, logger);
  const queues = createQueues(queueConnection, config.QUEUE_PREFIX, (err) =>
    logger.warn({ err: err.message }, 'queue error'),
  );
  shutdown.add('producers', 'report queues', async () => {
    await queues.close();
    await closeConnection(queueConnection);
  });
  const reportDeps: ReportDeps = {
    sql,
    analyticsSql,
    queues,
    logger,
    metrics,
    retentionMonths: config.RETENTION_MONTHS,
    sendMail: createSesSender(config),
    links: { publicBaseUrl: config.PUBLIC_BASE_URL, secret: config.LINK_SIGNING_SECRET, ttlDays: config.LINK_TTL_DAYS },
    failuresBeforePause: config.REPORT_FAILURES_BEFORE_PAUSE,
    emailsPerPublisherPerDay: config.EMAILS_PER_PUBLISHER_PER_DAY,
    recipientDomains: config.RECIPIENT_DOMAIN_ALLOWLIST.split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
  };

  const locks = { lockDuration: config.JOB_LOCK_MS, stalledInterval: config.JOB_STALLED_CHECK_MS };
  const worker = createExportWorker(
    {
      sql,
      analyticsSql,
      copyPool,
      storage,
      metrics,
      onFinished: reportExportFinished(reportDeps),
      copyParallelism: config.EXPORT_COPY_PARALLELISM,
      spoolDir: config.EXPORT_SPOOL_DIR,
      spoolMaxBytes: config.EXPORT_SPOOL_MAX_BYTES,
    },
    { connection, prefix: config.QUEUE_PREFIX, logger, metrics, concurrency: config.EXPORT_CONCURRENCY, ...locks },
  );
  let grace: NodeJS.Timeout | undefined;
  shutdown.add('work', 'worker', async () => {
    await closeWorker(worker, connection);
    clearTimeout(grace);
  });

  const reportsWorker = createReportsWorker(reportDeps, {
    connection,
    prefix: config.QUEUE_PREFIX,
    logger,
    metrics,
    concurrency: config.REPORT_CONCURRENCY,
    ...locks,
  });
  const reconciler = startReconciler(reportDeps, {
    intervalMs: config.REPORT_RECONCILE_INTERVAL_MS,
    catchUpPeriods: config.REPORT_CATCH_UP_PERIODS,
  });
  shutdown.add('work', 'reports worker', async () => {
    await reconciler.stop();
    await closeWorker(reportsWorker, connection);
  });

  // No export stays queued or running forever: re-queue lost jobs, fail exports whose job ended without a result.
  const watchdog = setInterval(() => {
    sweepStalledExports({ sql, queues, logger }).catch((err: Error) =>
      logger.warn({ err: err.message }, 'watchdog sweep failed'),
    );
  }, 30_000);
  shutdown.add('intake', 'watchdog', async () => clearInterval(watchdog));

  metrics.addQueueDepthSource(queueDepthSource(queues));
  const ops = await startOpsServer({
    metrics,
    port: config.METRICS_PORT,
    host: config.METRICS_HOST,
    logger,
    // Ready once the start-up reconcile has run (failed rounds too; they are retried): whoever waits for readiness (a
    // rollout, the benches) then knows this worker's first round will not rewrite the report schedulers later.
    ready: () => ({
      worker: worker.isRunning() && reportsWorker.isRunning(),
      redis: connection.status === 'ready',
      schedulers: reconciler.firstRoundDone,
    }),
  });
  shutdown.add('intake', 'metrics server', () => ops.close());
  // Both workers stop fetching at once; the 'work' closers then wait for their active jobs. Active exports may finish
  // until shortly before the deadline; then they are aborted and handed back to the queue (see runExport), leaving
  // time to record that and close the connections.
  shutdown.add('intake', 'stop fetching', async () => {
    const margin = Math.min(5000, Math.max(1000, config.SHUTDOWN_TIMEOUT_MS / 3));
    grace = setTimeout(() => worker.cancelAllJobs('shutdown'), Math.max(0, config.SHUTDOWN_TIMEOUT_MS - margin));
    void closeWorker(worker, connection);
    void closeWorker(reportsWorker, connection);
  });
  logger.info({ concurrency: config.EXPORT_CONCURRENCY, metricsPort: config.METRICS_PORT }, 'export worker started');
}

main().catch((err) => {
  process.stderr.write(`export-worker failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
