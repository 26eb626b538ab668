// The small HTTP port every worker serves for operators: /metrics (Prometheus), /healthz (the process
// answers) and /readyz (the worker can take jobs). Kept apart from any app port; no auth, bind it privately.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export type ReadinessCheck = () => boolean | Record<string, boolean> | Promise<boolean | Record<string, boolean>>;

export type OpsServer = { server: Server; port: number; close(): Promise<void> };

export type OpsServerOptions = {
  metrics: Metrics;
  port: number;
  host?: string;
  /** true/false, or named checks that must all be true. A check that throws counts as not ready. */
  ready: ReadinessCheck;
  logger?: Logger;
};

export function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') {
      void Promise.resolve()
        .then(opts.ready)
        .then(
          (result) => {
            const checks = typeof result === 'boolean' ? undefined : result;
            const ok = typeof result === 'boolean' ? result : Object.values(result).every(Boolean);
            json(
              ok ? 200 : 503,
              { status: ok ? 'ready' : 'unavailable', ...(checks ? { checks } : {}) },
              ok ? {} : { 'retry-after': '5' },
            );
          },
          (err) => json(503, { status: 'unavailable', error: (err as Error).message }, { 'retry-after': '5' }),
        );
      return;
    }
    if (path === '/metrics') {
      void opts.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': opts.metrics.registry.contentType });
          res.end(text);
        },
        (err) => {
          opts.logger?.warn({ err: (err as Error).message }, 'metrics collection failed');
          json(500, { status: 'metrics collection failed' });
        },
      );
      return;
    }
    json(404, { status: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
