// Private instances of Redis, the S3 emulator and the SES emulator on free ports, for tests that stop, kill or
// restart them: the shared ones on the default ports serve other test files and sessions and are never touched.
// Also a pausable TCP proxy (to hold an upload mid-way at a known byte count) and a process launcher.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    await sleep(everyMs);
  }
}

/** Rejects naming `what` when `promise` takes longer than `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

const httpOk = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (r) => r.ok,
    () => false,
  );

// ---------------------------------------------------------------------------------------------------------------
// Processes

export type Proc = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** stdout and stderr lines so far (the last 20,000). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
};

const live = new Set<Proc>();

export function launch(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Not the test runner's environment: only what the process needs, so nothing leaks in by accident.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const lines: string[] = [];
  const collect = (stream: NodeJS.ReadableStream | null) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      if (process.env.CHAOS_DEBUG) for (const l of parts) process.stderr.write(`[${name}] ${l.slice(0, 400)}\n`);
      if (lines.length > 20_000) lines.splice(0, lines.length - 20_000);
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const proc: Proc = {
    name,
    child,
    pid: child.pid!,
    lines,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
  if (!p.running()) return p.exited;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever this file launched and is still running (afterAll safety net). */
export async function killLaunched() {
  await Promise.all([...live].map((p) => stopProc(p, 'SIGKILL')));
}

/** JSON log lines of a process (pino), parsed; other lines skipped. */
export function jsonLogs(p: Proc): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of p.lines) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a partial line
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Services

type Restartable = {
  port: number;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
};

function restartable(
  name: string,
  port: number,
  argv: () => [string, string[]],
  ready: () => Promise<boolean>,
  dir?: string,
): Restartable {
  let proc: Proc | undefined;
  const self: Restartable = {
    port,
    async start() {
      if (proc?.running()) return;
      const [cmd, args] = argv();
      proc = launch(name, cmd, args);
      await eventually(
        `${name} on port ${port}`,
        async () => {
          if (!proc!.running()) throw new Error(`${name} exited: ${proc!.lines.slice(-5).join(' | ')}`);
          return ready();
        },
        30_000,
        50,
      );
    },
    async stop(signal = 'SIGKILL') {
      if (proc) await stopProc(proc, signal);
      // The port must really be free before the test goes on (a restart binds it again).
      await eventually(`${name} port ${port} closed`, async () => !(await tcpOpen(port)), 10_000, 50);
    },
    async close() {
      await self.stop('SIGKILL');
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

export type PrivateRedis = Restartable & { url: string };

/**
 * A private redis-server. With `persist`, every write goes to an append-only file in its own directory, so a
 * restart (even after SIGKILL) keeps the queues, as a production Redis with AOF would.
 */
export async function startRedis(opts: { persist?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ax-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--maxmemory-policy',
    'noeviction',
    ...(opts.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
  ];
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => (s.destroy(), resolve(d.toString().startsWith('+PONG'))));
      s.once('error', () => resolve(false));
    });
  const r = restartable('redis', port, () => ['redis-server', args], ping, dir);
  await r.start();
  return Object.assign(r, { url: `redis://127.0.0.1:${port}` });
}

export type PrivateS3 = Restartable & { endpoint: string; bucket: string };

/** A private s3rver whose objects live in its own directory, so they survive a restart. */
export async function startS3(bucket = 'chaos-exports'): Promise<PrivateS3> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ax-s3-'));
  const bin = join(ROOT, 'node_modules/s3rver/bin/s3rver.js');
  const r = restartable(
    's3rver',
    port,
    () => [
      process.execPath,
      [bin, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '-s', '--configure-bucket', bucket],
    ],
    () =>
      fetch(`http://127.0.0.1:${port}/${bucket}`, { method: 'HEAD', signal: AbortSignal.timeout(2000) }).then(
        () => true,
        () => false,
      ),
    dir,
  );
  await r.start();
  return Object.assign(r, { endpoint: `http://127.0.0.1:${port}`, bucket });
}

export type SesMail = {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
};
export type PrivateSes = Restartable & { endpoint: string; mails(): Promise<SesMail[]> };

/** A private SES emulator. Its store is in memory: mail it took is gone after a restart. */
export async function startSes(): Promise<PrivateSes> {
  const port = await freePort();
  const bin = join(ROOT, 'node_modules/aws-ses-v2-local/dist/cli.js');
  const endpoint = `http://127.0.0.1:${port}`;
  const r = restartable(
    'ses',
    port,
    () => [process.execPath, [bin, '--host', '127.0.0.1', '--port', String(port)]],
    () => httpOk(`${endpoint}/store`),
  );
  await r.start();
  const mails = async () => {
    const res = await fetch(`${endpoint}/store`);
    if (!res.ok) throw new Error(`SES store: ${res.status}`);
    return ((await res.json()) as { emails: SesMail[] }).emails;
  };
  return Object.assign(r, { endpoint, mails });
}

// ---------------------------------------------------------------------------------------------------------------
// A TCP proxy that counts the bytes sent upstream and can hold them: "pause after N bytes" stops an upload at a
// known point, whatever the machine's speed, so a test can act while an export is surely mid-way.

export type Proxy = {
  port: number;
  sentBytes(): number;
  /** Resolves once at least `bytes` went upstream; from that moment nothing more is forwarded until resume(). */
  pauseAfter(bytes: number): Promise<void>;
  resume(): void;
  close(): Promise<void>;
};

export async function startProxy(targetPort: number): Promise<Proxy> {
  const port = await freePort();
  let sent = 0;
  let holdAt = Infinity;
  let held: (() => void) | undefined;
  const clients = new Set<Socket>();
  const paused = () => sent >= holdAt;
  const server: Server = createServer((client) => {
    clients.add(client);
    const upstream = connect(targetPort, '127.0.0.1');
    const end = () => {
      clients.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    if (paused()) client.pause();
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      const ok = upstream.write(chunk);
      if (paused()) {
        for (const c of clients) c.pause();
        held?.();
        held = undefined;
      } else if (!ok) {
        client.pause();
        upstream.once('drain', () => paused() || client.resume());
      }
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    sentBytes: () => sent,
    pauseAfter(bytes) {
      holdAt = bytes;
      if (paused()) {
        for (const c of clients) c.pause();
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => (held = resolve));
    },
    resume() {
      holdAt = Infinity;
      for (const c of clients) c.resume();
    },
    async close() {
      for (const c of clients) c.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
