// /v1/exports: validate → write the row → enqueue its id → answer 202. Reads and cancels are scoped to the caller.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  cancelExport,
  claimIdempotencyKey,
  countActiveExports,
  deleteQueuedExport,
  inTx,
  findIdempotentExport,
  getExport,
  insertExport,
  listExports,
  type Sql,
} from '@ax/db';
import { datasetIds } from '@ax/datasets';
import { enqueue, jobCatalog, type Queues } from '@ax/jobs';
import { deleteObject, exportFile, exportKey, presignDownload, type Storage } from '@ax/storage';
import { principalOf, viewerOf } from '../auth';
import { ApiError, badRequest, fileExpired, notFound, UNKNOWN_CURSOR, unavailable, zodDetails } from '../errors';
import { exportResource } from '../export-resource';
import {
  authorizeSpec,
  boundPeriods,
  createExportSchema,
  newExportFrom,
  parseBody,
  readRange,
  requestHash,
  resolveRange,
} from '../export-request';

export type ExportRouteDeps = {
  sql: Sql;
  queues: Queues;
  storage: Storage;
  redisReady: () => boolean;
  /** Queued + running exports one caller may have at once. */
  activeLimit: number;
  now: () => Date;
  retentionMonths: number;
};

const uuid = z.uuid();
export const listExportsQuery = z
  .object({
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired']).optional(),
    dataset: z.enum(datasetIds).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.uuid().optional(),
  })
  .strict();
const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);
/** Thrown inside the create transaction when a concurrent request holds the Idempotency-Key: rolls the export back. */
class KeyTaken extends Error {}

export function exportRoutes(deps: ExportRouteDeps): Router {
  const router = Router();
  const { sql } = deps;

  const load = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!uuid.safeParse(id).success) throw notFound('export');
    const row = await getExport(sql, id, viewerOf(principalOf(res)));
    if (!row) throw notFound('export');
    return row;
  };

  router.post('/', async (req, res) => {
    const principal = principalOf(res);
    const keyHeader = req.header('idempotency-key');
    // A 400 names every bad field at once: the header's with the body's, the range's with the filters'.
    const body = parseBody(
      createExportSchema,
      req.body,
      keyHeader !== undefined && !idempotencyKey.safeParse(keyHeader).success
        ? [{ field: 'Idempotency-Key', message: 'Must be 1–200 visible ASCII characters.' }]
        : [],
    );
    const read = readRange(body);
    const { scopePublisherId } = await authorizeSpec(sql, principal, body, read.problems);
    const range = resolveRange(read, deps.now(), deps.retentionMonths);
    boundPeriods(body, range);
    const hash = requestHash(body);

    if (keyHeader) {
      const existing = await findIdempotentExport(sql, principal.keyId, keyHeader);
      if (existing) return replay(res, existing, hash);
    }
    if (!deps.redisReady()) throw unavailable('The job queue is unavailable; try again shortly.');
    const owner = {
      publisherId: principal.role === 'publisher' ? principal.publisherId : null,
      apiKeyId: principal.keyId,
    };

    // The limit is counted and the export inserted in one transaction under a per-owner lock, so parallel requests
    // cannot all pass it. A request that loses the key to a concurrent one must roll its export back: a row left
    // queued without a job would be run later by the watchdog, a duplicate.
    const row = await sql
      .begin(async (t) => {
        const tx = inTx(t);
        const active = await countActiveExports(tx, owner, { lock: true });
        if (active >= deps.activeLimit)
          throw new ApiError(
            429,
            'too_many_exports',
            `You have ${active} exports queued or running; wait for one to finish.`,
            [],
            { 'Retry-After': '10' },
          );
        const created = await insertExport(tx, newExportFrom(body, range, principal, scopePublisherId));
        if (keyHeader && !(await claimIdempotencyKey(tx, principal.keyId, keyHeader, hash, created.id)))
          throw new KeyTaken();
        return created;
      })
      .catch((err: unknown) => {
        if (err instanceof KeyTaken) return null;
        throw err;
      });
    if (!row) {
      const existing = await findIdempotentExport(sql, principal.keyId, keyHeader!);
      if (existing) return replay(res, existing, hash);
      throw new ApiError(409, 'conflict', 'A concurrent request used this Idempotency-Key; retry.');
    }
    try {
      await enqueue(deps.queues, 'export.run', { exportId: row.id });
    } catch {
      await deleteQueuedExport(sql, row.id);
      throw unavailable('The job queue is unavailable; nothing was created. Try again shortly.');
    }
    res
      .status(202)
      .location(`/v1/exports/${row.id}`)
      .json(await exportResource(row, deps.storage));
  });

  const replay = async (res: Response, existing: { request_hash: string; export_id: string }, hash: string) => {
    if (existing.request_hash !== hash)
      throw new ApiError(409, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body.');
    const row = await getExport(sql, existing.export_id);
    if (!row) throw notFound('export');
    res
      .status(202)
      .location(`/v1/exports/${row.id}`)
      .json(await exportResource(row, deps.storage));
  };

  router.get('/', async (req, res) => {
    const parsed = listExportsQuery.safeParse(req.query);
    if (!parsed.success) throw badRequest(zodDetails(parsed.error));
    const q = parsed.data;
    const rows = await listExports(sql, viewerOf(principalOf(res)), {
      status: q.status,
      dataset: q.dataset,
      limit: q.limit + 1,
      after: q.cursor,
    });
    if (!rows) throw badRequest([UNKNOWN_CURSOR]);
    const page = rows.slice(0, q.limit);
    res.json({
      data: await Promise.all(page.map((r) => exportResource(r, deps.storage))),
      next_cursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
    });
  });

  router.get('/:id', async (req, res) => {
    res.json(await exportResource(await load(req, res), deps.storage));
  });

  router.get('/:id/download', async (req, res) => {
    const row = await load(req, res);
    if (row.status === 'expired') throw fileExpired();
    if (row.status !== 'succeeded' || !row.s3_key || !row.file_name)
      throw new ApiError(
        409,
        'export_not_ready',
        `The export is ${row.status}; only a succeeded export can be downloaded.`,
      );
    const link = await presignDownload(deps.storage, row.s3_key, row.file_name);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, link.url);
  });

  router.delete('/:id', async (req, res) => {
    const principal = principalOf(res);
    const id = String(req.params.id);
    if (!uuid.safeParse(id).success) throw notFound('export');
    const { outcome, row } = await cancelExport(sql, id, viewerOf(principal));
    if (outcome === 'not_found') throw notFound('export');
    if (outcome === 'finished') throw new ApiError(409, 'export_finished', `The export is already ${row!.status}.`);
    // A queued job is removed; a running one sees the cancellation at its next progress update.
    const jobId = jobCatalog['export.run'].jobId({ exportId: id });
    await deps.queues.exports.remove(jobId).catch(() => 0);
    // The export's one key, even when no file was recorded: a run handed back by a shutdown while its upload was
    // completing may have left the object there.
    await deleteObject(deps.storage, row!.s3_key ?? exportKey(id, exportFile(row!).name)).catch(() => {});
    res.json(await exportResource(row!, deps.storage));
  });

  return router;
}
