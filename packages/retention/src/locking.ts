// Concurrency guards of a pass: one session-level advisory lock across replicas, and lock_timeout
// retries so DDL and deletes give way to inserts and exports instead of queueing them behind us.
import type postgres from 'postgres';

type ReservedSql = postgres.ReservedSql;

/** Every replica and the CLI derive the same key, so only one real pass runs at a time. */
const PASS_LOCK = 'ax.retention-pass';

export async function tryPassLock(conn: ReservedSql): Promise<boolean> {
  const [row] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtextextended(${PASS_LOCK}, 0)) as ok`;
  return Boolean(row?.ok);
}

export async function releasePassLock(conn: ReservedSql): Promise<void> {
  await conn`select pg_advisory_unlock(hashtextextended(${PASS_LOCK}, 0))`;
}

/** lock_timeout for the pass's own session: a statement waiting longer than this gives up and is retried. */
export async function setLockTimeout(conn: ReservedSql, ms: number): Promise<void> {
  await conn`select set_config('lock_timeout', ${`${ms}ms`}, false)`;
}

export async function resetSession(conn: ReservedSql): Promise<void> {
  await conn`reset lock_timeout`;
}

export type RetryPolicy = {
  /** Attempts per statement before the table is given up for this pass (the job retries later). */
  attempts: number;
  /** Pause before the n-th retry: n × delayMs, with jitter. */
  delayMs: number;
  signal?: AbortSignal;
};

export class LockBusyError extends Error {
  constructor(what: string, attempts: number) {
    super(
      `${what}: still locked by other sessions after ${attempts} attempts (lock_timeout); will retry on the next pass`,
    );
    this.name = 'LockBusyError';
  }
}

export class PassAborted extends Error {
  constructor() {
    super('retention pass aborted (shutdown)');
    this.name = 'PassAborted';
  }
}

// 55P03 lock_not_available (lock_timeout), 40P01 deadlock_detected: both mean "someone else first, try again".
const RETRYABLE = new Set(['55P03', '40P01']);

export const throwIfAborted = (signal?: AbortSignal) => {
  if (signal?.aborted) throw new PassAborted();
};

export async function withLockRetry<T>(what: string, policy: RetryPolicy, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(policy.signal);
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code)) throw err;
      if (attempt >= policy.attempts) throw new LockBusyError(what, attempt);
      await sleep(policy.delayMs * attempt * (0.75 + Math.random() * 0.5), policy.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
