// /v1/api-keys (admins, §6.3): list keys with their last use, and revoke one. Revoking takes effect on the next
// request (401), pauses the schedules the key created ('creator_key_revoked') and removes their job schedulers.
import { Router } from 'express';
import { z } from 'zod';
import { apiKeyView, listApiKeys, revokeApiKey, type Sql } from '@ax/db';
import { removeReportScheduler, type Queues } from '@ax/jobs';
import type { Logger } from '@ax/runtime';
import { principalOf } from '../auth';
import { forbidden, notFound } from '../errors';
import { loggerOf } from '../request-context';

export type ApiKeyRouteDeps = { sql: Sql; queues: Queues; logger: Logger; redisReady: () => boolean };

export function apiKeyRoutes(deps: ApiKeyRouteDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    if (principalOf(res).role !== 'admin') throw forbidden('Only admins manage API keys.');
    next();
  });

  router.get('/', async (_req, res) => {
    res.json({ data: (await listApiKeys(deps.sql)).map(apiKeyView) });
  });

  router.delete('/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!z.uuid().safeParse(id).success) throw notFound('API key');
    const revocation = await revokeApiKey(deps.sql, id);
    if (revocation.outcome === 'unknown') throw notFound('API key');
    // Best effort: paused schedules never run anyway (the trigger checks), and the reconciler removes leftovers.
    if (deps.redisReady())
      await Promise.all(revocation.pausedScheduleIds.map((s) => removeReportScheduler(deps.queues, s))).catch((err) =>
        loggerOf(res, deps.logger).warn({ err: (err as Error).message }, 'schedulers not removed; the reconciler will'),
      );
    loggerOf(res, deps.logger).info(
      { keyId: id, pausedSchedules: revocation.pausedScheduleIds.length },
      'API key revoked',
    );
    res.status(204).end();
  });
  return router;
}
