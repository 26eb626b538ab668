// Liveness and readiness: ready means PostgreSQL, Redis and S3 all answer.
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Sql } from '@ax/db';
import { storageReachable, type Storage } from '@ax/storage';

export function healthRoutes(deps: { sql: Sql; redis: Redis; storage: Storage }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    const within = <T>(p: Promise<T>) =>
      Promise.race([
        p.then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
      ]);
    const [postgres, redis, s3] = await Promise.all([
      within(deps.sql`select 1`),
      within(deps.redis.ping()),
      storageReachable(deps.storage),
    ]);
    const ready = postgres && redis && s3;
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { postgres, redis, s3 } });
  });
  return router;
}
