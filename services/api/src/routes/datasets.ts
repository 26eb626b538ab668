// GET /v1/datasets: what this caller may export, with the oldest day still kept.
import { Router } from 'express';
import { allDatasets, formats, granularities, mayExport } from '@ax/datasets';
import { retentionCutoff } from '@ax/retention';
import { principalOf } from '../auth';

export function datasetRoutes(now: () => Date, retentionMonths: number): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const principal = principalOf(res);
    const oldest = retentionCutoff(now(), retentionMonths);
    res.json({
      data: allDatasets()
        .filter((d) => mayExport(principal, d))
        .map((d) => ({ id: d.id, formats, columns: d.columns, granularities, oldest_available: oldest })),
    });
  });
  return router;
}
