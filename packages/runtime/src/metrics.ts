// One Prometheus registry per process, with process metrics and the service's own counters.
import client from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics(service: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new client.Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    exportsTotal: counter('ax_exports_total', 'Exports finished, by dataset, format and outcome', ['dataset', 'format', 'outcome']),
    rowsWritten: counter('ax_export_rows_written_total', 'Rows written into export files', ['dataset']),
    bytesWritten: counter('ax_export_bytes_written_total', 'Bytes stored in S3 by exports', ['dataset']),
    emailsTotal: counter('ax_emails_total', 'Report e-mails by outcome', ['outcome']),
    retentionDeleted: counter('ax_retention_rows_deleted_total', 'Rows deleted by retention, by table', ['table']),
    retentionPartitionsDropped: counter('ax_retention_partitions_dropped_total', 'Partitions dropped by retention', ['table']),
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
    }),
  };
}
