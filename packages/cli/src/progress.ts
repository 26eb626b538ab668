// Progress of a running export on stderr: a redrawn bar on a terminal, plain periodic lines otherwise
// (logs, CI, pipes). The total is unknown until the export ends, so the bar sweeps while rows count up.

export type ProgressView = { update(status: string, rows: number): void; done(): void };

const WIDTH = 24;
const fmt = (n: number) => n.toLocaleString('en-US');

/** The bar line for a terminal; `tick` moves the sweep. Exported for unit tests. */
export function barLine(label: string, status: string, rows: number, seconds: number, tick: number): string {
  const pos = tick % (2 * (WIDTH - 4));
  const at = pos < WIDTH - 4 ? pos : 2 * (WIDTH - 4) - pos;
  const bar = status === 'queued' ? '.'.repeat(WIDTH) : ' '.repeat(at) + '<=>' + ' '.repeat(WIDTH - at - 3);
  const rate = seconds > 0 && rows > 0 ? ` · ${fmt(Math.round(rows / seconds))} rows/s` : '';
  return `${label} [${bar.slice(0, WIDTH)}] ${fmt(rows)} rows${rate} · ${status} · ${Math.floor(seconds)}s`;
}

export function progressView(opts: {
  label: string;
  tty: boolean;
  write: (s: string) => void;
  everyMs?: number;
  now?: () => number;
}): ProgressView {
  const now = opts.now ?? Date.now;
  const started = now();
  let tick = 0;
  let lastPrinted = -Infinity;
  let last = '';
  return {
    update(status, rows) {
      const seconds = (now() - started) / 1000;
      if (opts.tty) {
        const line = barLine(opts.label, status, rows, seconds, tick++);
        opts.write(`\r${line}\x1b[K`);
        return;
      }
      const line = `${opts.label}: ${status}, ${fmt(rows)} rows written`;
      if (line !== last && now() - lastPrinted >= (opts.everyMs ?? 2000)) {
        opts.write(`${line}\n`);
        lastPrinted = now();
        last = line;
      }
    },
    done() {
      if (opts.tty) opts.write('\n');
    },
  };
}
