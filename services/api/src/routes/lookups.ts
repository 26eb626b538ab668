// Lookups for the web page: who am I (GET /v1/me), which packages (GET /v1/packages), which publishers (admins).
import { Router } from 'express';
import { z } from 'zod';
import { apiKeyName, listPackages, listPublishers, type Sql } from '@ax/db';
import { principalOf } from '../auth';
import { badRequest, forbidden, zodDetails } from '../errors';

export const listPackagesQuery = z.object({ publisher_id: z.string().min(1).max(200).optional() }).strict();

export function lookupRoutes(deps: { sql: Sql }): Router {
  const router = Router();
  router.get('/me', async (_req, res) => {
    const p = principalOf(res);
    res.json({
      role: p.role,
      publisher_id: p.publisherId,
      key_id: p.keyId,
      key_name: await apiKeyName(deps.sql, p.keyId),
    });
  });
  router.get('/packages', async (req, res) => {
    const p = principalOf(res);
    const parsed = listPackagesQuery.safeParse(req.query);
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    // A publisher only ever sees its own packages; naming another publisher is refused rather than ignored.
    if (p.role === 'publisher' && parsed.data.publisher_id && parsed.data.publisher_id !== p.publisherId)
      throw forbidden('Publishers see only their own packages.');
    const publisherId = p.role === 'publisher' ? p.publisherId : (parsed.data.publisher_id ?? null);
    res.json({ data: await listPackages(deps.sql, publisherId) });
  });
  router.get('/publishers', async (_req, res) => {
    if (principalOf(res).role !== 'admin') throw forbidden('The publisher list is for admins only.');
    res.json({ data: await listPublishers(deps.sql) });
  });
  return router;
}
