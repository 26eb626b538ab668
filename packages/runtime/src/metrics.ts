// One Prometheus registry per process, with process metrics and the service's own counters.
// Queue depth is sampled at scrape time from registered sources, each bounded by a timeout, so a scrape
// never hangs when Redis is down: the depth gauge is then empty and ax_queue_depth_up reads 0.
import client from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Job counts by state for one queue, e.g. { queue: 'exports', counts: { waiting: 3, active: 1 } }. */
export type QueueDepth = { queue: string; counts: Record<string, number> };
export type QueueDepthSource = () => Promise<QueueDepth[]>;

export function createMetrics(service: string, opts: { queueSampleTimeoutMs?: number } = {}) {
  const registry = new client.Registry();
  const sources: QueueDepthSource[] = [];
  const timeoutMs = opts.queueSampleTimeoutMs ?? 1000;
  // Both depth gauges read the same sample: one in-flight sampling per scrape.
  let sampling: Promise<{ depths: QueueDepth[]; ok: boolean }> | null = null;
  const sample = () => {
    sampling ??= sampleAll(sources, timeoutMs).finally(() => setImmediate(() => (sampling = null)));
    return sampling;
  };
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    exportsTotal: counter('ax_exports_total', 'Exports finished, by dataset, format and outcome', [
      'dataset',
      'format',
      'outcome',
    ]),
    rowsWritten: counter('ax_export_rows_written_total', 'Rows written into export files', ['dataset']),
    bytesWritten: counter('ax_export_bytes_written_total', 'Bytes stored in S3 by exports', ['dataset']),
    emailsTotal: counter('ax_emails_total', 'Report e-mails by outcome', ['outcome']),
    retentionDeleted: counter('ax_retention_rows_deleted_total', 'Rows deleted by retention, by table', ['table']),
    retentionPartitionsDropped: counter('ax_retention_partitions_dropped_total', 'Partitions dropped by retention', [
      'table',
    ]),
    jobDuration: new client.Histogram({
      name: 'ax_job_duration_seconds',
      help: 'Job processing time, by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: 'ax_http_request_duration_seconds',
      help: 'API request time, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    queueJobs: new client.Gauge({
      name: 'ax_queue_jobs',
      help: 'Jobs in each queue by state (sampled at scrape time)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const { depths } = await sample();
        this.reset();
        for (const d of depths)
          for (const [state, n] of Object.entries(d.counts)) this.set({ queue: d.queue, state }, n);
      },
    }),
    queueDepthUp: new client.Gauge({
      name: 'ax_queue_depth_up',
      help: '1 when every queue depth source answered at the last scrape, 0 when one failed or timed out',
      registers: [registry],
      async collect() {
        this.set((await sample()).ok ? 1 : 0);
      },
    }),
    /** Registers a queue depth source sampled at every scrape (e.g. BullMQ getJobCounts). */
    addQueueDepthSource(source: QueueDepthSource): void {
      sources.push(source);
    },
  };
}

async function sampleAll(
  sources: QueueDepthSource[],
  timeoutMs: number,
): Promise<{ depths: QueueDepth[]; ok: boolean }> {
  const results = await Promise.all(
    sources.map((s) =>
      withTimeout(s(), timeoutMs).then(
        (d) => d,
        () => null,
      ),
    ),
  );
  return { depths: results.flatMap((r) => r ?? []), ok: results.every((r) => r !== null) };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
