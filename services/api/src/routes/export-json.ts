// GET /v1/exports/{id}/json: a succeeded JSON export's file through the API, so the web page can draw it as a
// chart without reaching another origin (its Content-Security-Policy allows none). A gzip file is sent as is
// with Content-Encoding: gzip; the browser inflates it.
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { getExport, type Sql } from '@ax/db';
import { openObject, type Storage } from '@ax/storage';
import { principalOf, viewerOf } from '../auth';
import { ApiError, notFound } from '../errors';

const uuid = z.uuid();

export function exportJsonRoutes(deps: { sql: Sql; storage: Storage }): Router {
  const router = Router();
  router.get('/:id/json', async (req, res) => {
    const id = String(req.params.id);
    if (!uuid.safeParse(id).success) throw notFound('export');
    const row = await getExport(deps.sql, id, viewerOf(principalOf(res)));
    if (!row) throw notFound('export');
    if (row.format !== 'json')
      throw new ApiError(409, 'not_json', 'Only a JSON export can be read here; download a CSV export.');
    if (row.status !== 'succeeded' || !row.s3_key)
      throw new ApiError(409, 'export_not_ready', `The export is ${row.status}; only a succeeded export can be read.`);
    const body = await openObject(deps.storage, row.s3_key);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'private, max-age=300');
    if (row.compression === 'gzip') res.setHeader('Content-Encoding', 'gzip');
    await pipeline(body, res);
  });
  return router;
}
