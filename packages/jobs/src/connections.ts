// Redis connections by role: producers fail fast (the API answers 503), workers wait and retry forever.
import { Redis } from 'ioredis';
import type { Logger } from '@ax/runtime';

export function producerConnection(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => {}); // surfaced as 503s by the callers; reconnection is automatic
  return redis;
}

export function workerConnection(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  let last = 0;
  redis.on('error', (err) => {
    if (Date.now() - last > 10_000) logger?.warn({ err: err.message }, 'redis connection error, retrying');
    last = Date.now();
  });
  return redis;
}

/** For shutdown: QUIT when connected; otherwise drop the connection (QUIT would wait for a reconnect). */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') return void redis.disconnect();
  await redis.quit().catch(() => redis.disconnect());
}

/** BullMQ loses locks and jobs when Redis may evict keys: warn loudly at start. */
export async function checkEvictionPolicy(redis: Redis, logger: Logger): Promise<void> {
  try {
    const res = await redis.config('GET', 'maxmemory-policy');
    const policy = res[1];
    if (policy && policy !== 'noeviction')
      logger.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued jobs and locks can be lost');
  } catch {
    // CONFIG may be disabled (managed Redis); nothing to check then.
  }
}
