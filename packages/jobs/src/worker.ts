// The only place that turns catalog handlers into BullMQ workers. Handlers are plain functions.
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger, Metrics } from '@ax/runtime';
import { jobCatalog, type JobName, type JobsOf, type PayloadOf, type QueueName } from './catalog';

export type JobContext = {
  logger: Logger;
  /** Aborted when the job must stop now: near the shutdown deadline (it is then handed back). */
  signal: AbortSignal;
  /** Aborted as soon as the worker starts to shut down; the job may still finish, but should not wait on extras. */
  stopping: AbortSignal;
  jobId: string;
  /** Attempt number, starting at 1. */
  attempt: number;
  /** True on the last attempt BullMQ will make. */
  finalAttempt: boolean;
  /** When the job was due: the scheduled time for repeatable jobs. */
  scheduledAt: Date;
};

export type Handler<N extends JobName> = (payload: PayloadOf<N>, ctx: JobContext) => Promise<void>;
export type Handlers<Q extends QueueName> = { [N in JobsOf<Q>]: Handler<N> };

/** Thrown by handlers for failures a retry cannot fix: BullMQ fails the job at once. */
export class PermanentError extends UnrecoverableError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/**
 * Thrown by a handler that stopped because its worker is shutting down (ctx.signal aborted) and left its
 * state ready for a rerun: the job goes back to the head of the waiting list for another worker, without
 * counting as a failed attempt and without backoff.
 */
export class HandBack extends Error {
  constructor(message = 'worker shutting down') {
    super(message);
    this.name = 'HandBack';
  }
}

/**
 * When a job was due. A job scheduler's job has the id `repeat:<schedulerId>:<millis>`, where millis is the
 * cron slot it was made for (BullMQ 6 builds it so in JS and Lua alike); its `timestamp` is only when the job
 * was created, and its delay is clamped at 0 when late. Other jobs: creation time plus their delay.
 */
export function scheduledAtOf(job: Pick<Job, 'id' | 'repeatJobKey' | 'timestamp' | 'delay' | 'opts'>): Date {
  if (job.repeatJobKey && job.id) {
    const m = /^repeat:.+:(\d+)$/.exec(job.id);
    if (m) return new Date(Number(m[1]));
  }
  return new Date(job.timestamp + (job.delay ?? job.opts.delay ?? 0));
}

/** The ids a payload carries (exportId, runId, scheduleId…) for log lines; payloads hold nothing else secret. */
export function idsOf(data: unknown): Record<string, string> {
  if (!data || typeof data !== 'object') return {};
  return Object.fromEntries(
    Object.entries(data).filter((e): e is [string, string] => /Id$/.test(e[0]) && typeof e[1] === 'string'),
  );
}

/** Handlers running right now, per worker (not counting BullMQ's bookkeeping after them). */
const running = new WeakMap<Worker, { count: number }>();
const closing = new WeakMap<Worker, Promise<void>>();
const stopping = new WeakMap<Worker, AbortController>();
/** How long a close waits, after the last handler returned, for BullMQ to record the results in Redis. */
const RECORD_GRACE_MS = 3000;

/**
 * Stops fetching and waits for the running handlers, then closes. A graceful close waits on Redis (BullMQ's
 * fetch loop retries forever), so when Redis is unreachable, or goes away during the close, this waits only for
 * our handlers and a short grace (and closes by force where that is still possible): a job whose completion
 * could not be recorded is found stalled later and seen to be done already.
 * Repeated calls share one close.
 */
export function closeWorker(worker: Worker, connection: Redis): Promise<void> {
  const existing = closing.get(worker);
  if (existing) return existing;
  stopping.get(worker)?.abort();
  const done = (async () => {
    if (connection.status === 'ready') {
      // Redis may go away during the close, or just before it unnoticed, or stop answering while the client still
      // says ready (a network that drops packets): BullMQ's close then waits on it for ever, and cannot be turned
      // into a forced one. So once our handlers are done, BullMQ gets a few seconds to record their results.
      const close = worker.close();
      let grace: NodeJS.Timeout | undefined;
      const gaveUp = handlersFinished(worker).then(
        () => new Promise<void>((r) => (grace = setTimeout(r, RECORD_GRACE_MS))),
      );
      try {
        return await Promise.race([close, gaveUp]);
      } finally {
        clearTimeout(grace); // a close that finished in time leaves no timer holding the process
      }
    }
    void worker.pause(true).catch(() => {});
    await handlersFinished(worker);
    await worker.close(true);
  })();
  closing.set(worker, done);
  return done;
}

async function handlersFinished(worker: Worker): Promise<void> {
  while ((running.get(worker)?.count ?? 0) > 0) await new Promise((r) => setTimeout(r, 50));
}

/** How a worker process runs one queue's worker: its Redis connection, key prefix, observability and tuning. */
export type WorkerOptions = {
  connection: Redis;
  prefix: string;
  logger: Logger;
  metrics?: Metrics;
  concurrency?: number;
  /** How long a job's lock lives without renewal; a killed worker's job is recovered after about this long. */
  lockDuration?: number;
  /** How often this worker looks for jobs whose lock expired (stalled). */
  stalledInterval?: number;
};

export function createWorker<Q extends QueueName>(queue: Q, handlers: Handlers<Q>, deps: WorkerOptions): Worker {
  const processor = async (job: Job, token?: string, signal?: AbortSignal) => {
    const name = job.name as JobsOf<Q>;
    const handler = handlers[name] as Handler<JobName> | undefined;
    // Handlers add the export / run / schedule id to their own lines (a child here would duplicate the keys).
    const logger = deps.logger.child({ queue, job: job.name, jobId: job.id });
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
    const parsed = jobCatalog[name as JobName].schema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.message}`);
    const attempts = job.opts.attempts ?? 1;
    const started = process.hrtime.bigint();
    let outcome = 'failed';
    const active = running.get(worker)!;
    try {
      active.count++;
      await handler(parsed.data, {
        logger,
        signal: signal ?? new AbortController().signal,
        stopping: stopping.get(worker)!.signal,
        jobId: job.id!,
        attempt: job.attemptsMade + 1,
        finalAttempt: job.attemptsMade + 1 >= attempts,
        scheduledAt: scheduledAtOf(job),
      }).finally(() => active.count--);
      outcome = 'completed';
    } catch (err) {
      if (!(err instanceof HandBack) || !token) throw err;
      // moveToWait puts the job back at the head of the list and keeps attemptsMade; WaitingError tells
      // BullMQ the job has been moved already, so it neither fails nor retries it.
      await job.moveToWait(token);
      outcome = 'handed_back';
      logger.info({ reason: err.message }, 'job handed back to the queue');
      throw new WaitingError();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics?.jobDuration.observe({ queue, name: job.name, outcome }, seconds);
    }
  };
  const worker = new Worker(queue, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 1,
    lockDuration: deps.lockDuration ?? 30_000,
    ...(deps.stalledInterval ? { stalledInterval: deps.stalledInterval } : {}),
    maxStalledCount: 2,
  });
  running.set(worker, { count: 0 });
  stopping.set(worker, new AbortController());
  worker.on('error', (err) => deps.logger.error({ err, queue }, 'worker error'));
  worker.on('failed', (job, err) =>
    deps.logger.warn(
      { queue, job: job?.name, jobId: job?.id, ...idsOf(job?.data), attemptsMade: job?.attemptsMade, err: err.message },
      'job failed',
    ),
  );
  return worker;
}
