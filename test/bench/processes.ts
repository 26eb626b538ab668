// Child-process plumbing shared by the benches: free ports, waiting for HTTP, stopping gracefully.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDist } from '../../scripts/build';
import { productionStart } from '../support/package-scripts';
import { statCpuSeconds } from './baselines';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

export async function waitHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await sleep(200);
  }
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Peak resident set size of a process so far (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time a process has used so far (user + system), in seconds. */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  return statCpuSeconds(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** The process listening on a local TCP port (an emulator the bench did not start), or null when none is found. */
export async function listeningPid(port: number): Promise<number | null> {
  const { readFile, readdir, readlink } = await import('node:fs/promises');
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const cols of lines.map((l) => l.trim().split(/\s+/)))
      if (cols[1]?.endsWith(hexPort) && cols[3] === '0A') inodes.add(`socket:[${cols[9]}]`); // 0A: LISTEN
  }
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return Number(pid);
  }
  return null;
}

/** CPU seconds so far of several processes, summed. */
export const totalCpuSeconds = async (pids: number[]): Promise<number> =>
  (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);

/**
 * How the benches start an export worker: the production bundle (built once per bench run into a temporary
 * directory), or its sources through tsx with BENCH_WORKER_FROM_SOURCE=1, with production's Node flags (`pnpm
 * start:export-worker`) unless BENCH_WORKER_NODE_OPTIONS is set (it then replaces them, as NODE_OPTIONS).
 * BENCH_WORKER_NODE_ARGS adds flags that NODE_OPTIONS refuses, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` for a
 * profile. The bundle is removed when the bench exits, unless BENCH_KEEP_BUNDLE=1 (a profile's frames are mapped back
 * to the sources through its main.js.map).
 * BENCH_WORKER_BUNDLE=<dir> runs a bundle built before (`node -r tsx/cjs -e "require('./scripts/build').buildDist(dir)"`).
 */
let bundle: Promise<string> | undefined;
export async function exportWorkerArgv(): Promise<string[]> {
  const extra = [
    ...(process.env.BENCH_WORKER_NODE_OPTIONS === undefined ? productionStart('export-worker').nodeFlags : []),
    ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  if (process.env.BENCH_WORKER_FROM_SOURCE === '1') {
    return [
      ...extra,
      '--conditions=source',
      '--require',
      'tsx/cjs',
      join(__dirname, '..', '..', 'services/export-worker/src/main.ts'),
    ];
  }
  // A/B runs: a bundle built earlier (e.g. from the commit before a change) instead of one built from the tree.
  if (process.env.BENCH_WORKER_BUNDLE)
    return [...extra, join(process.env.BENCH_WORKER_BUNDLE, 'export-worker/main.js')];
  bundle ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'ax-bench-dist-'));
    if (process.env.BENCH_KEEP_BUNDLE !== '1')
      process.once('exit', () => rmSync(out, { recursive: true, force: true }));
    await buildDist(out);
    return join(out, 'export-worker/main.js');
  })();
  return [...extra, await bundle];
}
