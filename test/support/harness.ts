// An in-process system for integration tests: the real API app and export worker, wired to the real
// PostgreSQL (a fresh database), Redis (a unique queue prefix) and the S3 emulator.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { buildApp } from '@ax/api';
import { createCopyPool, createSql } from '@ax/db';
import {
  createExportWorker,
  createReportsWorker,
  reconcileReports,
  reportExportFinished,
  type ReconcileOptions,
  type ReportDeps,
} from '@ax/export-worker';
import { createSesSender } from '@ax/mailer';
import { createQueues, producerConnection, workerConnection, type Queues } from '@ax/jobs';
import { createLogger, type Logger, type Metrics } from '@ax/runtime';
import {
  REDIS_URL,
  TEST_RETENTION_MONTHS,
  createTestDatabase,
  obliterate,
  testStorage,
  uniquePrefix,
  type TestDb,
} from '@ax/testing';
import type { Storage } from '@ax/storage';

const COPY_SLICES = 3;

export type Harness = {
  db: TestDb;
  app: Express;
  queues: Queues;
  storage: Storage;
  prefix: string;
  copyPool: pg.Pool;
  /** `analyticsUrl`: export queries read from this database (ANALYTICS_DATABASE_URL); control tables stay on db. */
  startWorker(opts?: {
    concurrency?: number;
    progressIntervalMs?: number;
    metrics?: Metrics;
    analyticsUrl?: string;
    copyParallelism?: number;
    minRowsPerSlice?: number;
    /** ANALYTICS_STATEMENT_TIMEOUT_MS: the analytics clients get their own connections with this statement_timeout. */
    statementTimeoutMs?: number;
    spoolMaxBytes?: number;
  }): Promise<Worker>;
  /** Scheduled reports: the deps the reports worker and reconciler get (overridable per test). */
  reportDeps(overrides?: Partial<ReportDeps>): ReportDeps;
  startReportsWorker(overrides?: Partial<ReportDeps> & { concurrency?: number }): Promise<Worker>;
  reconcile(opts?: ReconcileOptions, overrides?: Partial<ReportDeps>): ReturnType<typeof reconcileReports>;
  close(): Promise<void>;
};

export const TEST_LINK_SECRET = 'test-link-signing-secret-0123456789';
export const SES_TEST_ENDPOINT = 'http://127.0.0.1:8005';
export const PUBLIC_BASE_URL = 'http://reports.test';

export type HarnessOptions = {
  activeExports?: number;
  now?: () => Date;
  /** The API's metrics registry (the app serves /metrics only when given one). */
  metrics?: Metrics;
  /** Replaces the silent test logger (e.g. to capture log lines). */
  logger?: Logger;
  /** A queue prefix of the test's own, e.g. a Redis Cluster hash tag `{axt-…}`. */
  prefix?: string;
  /** The API's §6.4 limits (defaults: 10 manual runs per schedule a day, 100 schedules per publisher). */
  limits?: { manualRunsPerDay?: number; schedulesPerPublisher?: number };
};

export async function createHarness(label: string, opts: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const prefix = opts.prefix ?? uniquePrefix(label);
  const logger = opts.logger ?? createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const storage = await testStorage();
  const redis = producerConnection(REDIS_URL);
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const queues = createQueues(redis, prefix);
  const app = buildApp({
    sql: db.sql,
    redis,
    queues,
    storage,
    logger,
    reports: { linkSecret: TEST_LINK_SECRET, recipientDomains: [] },
    limits: { activeExports: opts.activeExports, ...opts.limits },
    now: opts.now,
    metrics: opts.metrics,
    retentionMonths: TEST_RETENTION_MONTHS,
  });
  const sendMail = createSesSender({
    SES_ENDPOINT: SES_TEST_ENDPOINT,
    SES_REGION: 'us-east-1',
    MAIL_FROM: 'reports@analytics-export.test',
  });
  const reportDeps = (overrides: Partial<ReportDeps> = {}): ReportDeps => ({
    sql: db.sql,
    queues,
    logger,
    sendMail,
    retentionMonths: TEST_RETENTION_MONTHS,
    links: { publicBaseUrl: PUBLIC_BASE_URL, secret: TEST_LINK_SECRET, ttlDays: 14 },
    ...overrides,
  });
  // Room for every export of two workers at concurrency 2, each copying in COPY_SLICES slices at once.
  const copyPool = createCopyPool(db.url, 4 * COPY_SLICES);
  const workers: { worker: Worker; connection: Redis }[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  return {
    db,
    app,
    queues,
    storage,
    prefix,
    copyPool,
    reportDeps,
    async startReportsWorker(overrides = {}) {
      const connection = workerConnection(REDIS_URL);
      const worker = createReportsWorker(reportDeps(overrides), {
        connection,
        prefix,
        logger,
        concurrency: overrides.concurrency ?? 4,
      });
      await worker.waitUntilReady();
      workers.push({ worker, connection });
      return worker;
    },
    reconcile: (opts = {}, overrides = {}) => reconcileReports(reportDeps(overrides), opts),
    async startWorker(opts = {}) {
      const connection = workerConnection(REDIS_URL);
      const own = opts.analyticsUrl ?? (opts.statementTimeoutMs ? db.url : undefined);
      const statementTimeoutMs = opts.statementTimeoutMs;
      const analytics = own
        ? {
            sql: createSql(own, { max: 2, statementTimeoutMs }),
            copyPool: createCopyPool(own, 2 * COPY_SLICES, { statementTimeoutMs }),
          }
        : { sql: db.sql, copyPool };
      const worker = createExportWorker(
        {
          sql: db.sql,
          analyticsSql: analytics.sql,
          copyPool: analytics.copyPool,
          storage,
          metrics: opts.metrics,
          progressIntervalMs: opts.progressIntervalMs ?? 200,
          onFinished: reportExportFinished({ queues }),
          // Every raw-rows CSV export in the tests is copied in slices, however small: the files they check prove
          // that slices concatenate into exactly the file one query gives.
          copyParallelism: opts.copyParallelism ?? COPY_SLICES,
          minRowsPerSlice: opts.minRowsPerSlice ?? 0,
          ...(opts.spoolMaxBytes !== undefined ? { spoolMaxBytes: opts.spoolMaxBytes } : {}),
        },
        { connection, prefix, logger, metrics: opts.metrics, concurrency: opts.concurrency ?? 2 },
      );
      await worker.waitUntilReady();
      workers.push({ worker, connection });
      if (own)
        cleanups.push(async () => {
          await analytics.copyPool.end();
          await analytics.sql.end({ timeout: 1 });
        });
      return worker;
    },
    async close() {
      for (const { worker, connection } of workers) {
        await worker.close();
        connection.disconnect();
      }
      for (const cleanup of cleanups) await cleanup();
      await queues.close();
      await obliterate(redis, prefix);
      redis.disconnect();
      await copyPool.end();
      await db.drop();
    },
  };
}

/** Polls GET /v1/exports/:id through the app until the export leaves queued/running. */
export async function waitForExport(app: Express, token: string, id: string, timeoutMs = 30_000) {
  const request = (await import('supertest')).default;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(app).get(`/v1/exports/${id}`).set('Authorization', `Bearer ${token}`);
    if (res.status !== 200) throw new Error(`GET export ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (!['queued', 'running'].includes(res.body.status)) return res.body;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Downloads a URL (a presigned S3 URL) as bytes. */
export async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export const listen = (app: Express): Promise<{ server: Server; base: string }> =>
  new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
