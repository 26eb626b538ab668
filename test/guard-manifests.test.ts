// The deploy manifests match the guard rails (issue 14): the export worker's spool disk is bounded and requested,
// and the API's metrics are scraped from its ops port, not the public one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const K8S = join(__dirname, '..', 'infra/k8s');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const load = (file: string): Loose[] => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => d.toJS());
const deployment = (file: string): Loose => load(file).find((d) => d.kind === 'Deployment');
const config = load('config.yaml')[0].data as Record<string, string>;
const gib = (q: string) => {
  const m = /^(\d+)(Gi|Mi)$/.exec(q);
  if (!m) throw new Error(`unexpected quantity ${q}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : 1024 ** 2);
};

it('the export worker spools into a bounded emptyDir it requests, with room for every concurrent export', () => {
  const spec = deployment('export-worker.yaml').spec.template.spec;
  const tmp = spec.volumes.find((v: Loose) => v.name === 'tmp');
  const sizeLimit = gib(tmp.emptyDir.sizeLimit);
  const container = spec.containers[0];
  expect(gib(container.resources.requests['ephemeral-storage'])).toBeGreaterThanOrEqual(sizeLimit);
  const perExport = Number(config.EXPORT_SPOOL_MAX_BYTES);
  expect(perExport).toBeGreaterThan(0);
  expect(Number(config.EXPORT_CONCURRENCY) * perExport).toBeLessThanOrEqual(sizeLimit);
});

it("the API's metrics are scraped from its ops port, which is not the API port", () => {
  const tpl = deployment('api.yaml').spec.template;
  const container = tpl.spec.containers[0];
  const metrics = container.ports.find((p: Loose) => p.name === 'metrics');
  const http = container.ports.find((p: Loose) => p.name === 'http');
  expect(metrics.containerPort).not.toBe(http.containerPort);
  expect(tpl.metadata.annotations['prometheus.io/port']).toBe(String(metrics.containerPort));
  expect(container.env.find((e: Loose) => e.name === 'METRICS_PORT').value).toBe(String(metrics.containerPort));
});
