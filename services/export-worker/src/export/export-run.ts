// The state of one attempt at an export, in one place: what may stop it (a cancel seen by the progress poll, a
// shutdown from the job's signal), whether every byte is encoded yet, and how many rows have gone out.
import { reportProgress, type Sql } from '@ax/db';
import type { JobContext } from '@ax/jobs';

/** The reason a run stops when its row was cancelled (it left 'running'). */
class Cancelled extends Error {}

export class ExportRun {
  /** Stops the encoding: a cancel or a shutdown. */
  private readonly stop = new AbortController();
  /** Stops the upload: see the constructor. */
  private readonly stopUpload = new AbortController();
  private encoded = false;
  private source: { readonly count: number } | null = null;
  private readonly poll: NodeJS.Timeout;
  private readonly onShutdown = () => {
    this.stop.abort(this.ctx.signal.reason);
    this.stopUpload.abort(this.ctx.signal.reason);
  };

  constructor(
    sql: Sql,
    exportId: string,
    readonly ctx: JobContext,
    progressIntervalMs = 1000,
  ) {
    // Once every byte is encoded, a cancelled export's upload is left to complete: aborting it then would race its
    // CompleteMultipartUpload, and the object could appear after we deleted it. A shutdown aborts it whatever the
    // stage, even after a cancellation (the last parts may be stuck on a stalled store, and the deadline will not
    // wait): the export is handed back, and whoever runs it next writes the same key.
    this.stop.signal.addEventListener(
      'abort',
      () => {
        if (!this.encoded || !this.cancelled) this.stopUpload.abort(this.stop.signal.reason);
      },
      { once: true },
    );
    ctx.signal.addEventListener('abort', this.onShutdown, { once: true });
    if (ctx.signal.aborted) this.onShutdown();
    // Each progress write doubles as the cancel check: a row no longer running was cancelled.
    this.poll = setInterval(() => {
      reportProgress(sql, exportId, this.rows).then(
        (running) => void (running || this.stop.abort(new Cancelled('export cancelled'))),
        () => {}, // a missed progress update is harmless
      );
    }, progressIntervalMs);
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }
  get uploadSignal(): AbortSignal {
    return this.stopUpload.signal;
  }
  get cancelled(): boolean {
    return this.stop.signal.reason instanceof Cancelled;
  }
  /** The worker is shutting down: the job must stop now. */
  get shuttingDown(): boolean {
    return this.ctx.signal.aborted;
  }
  /** Rows (CSV) or periods (JSON) the source has sent so far. */
  get rows(): number {
    return this.source?.count ?? 0;
  }

  countFrom(source: { readonly count: number }): void {
    this.source = source;
  }
  markEncoded(): void {
    this.encoded = true;
  }
  throwIfCancelled(): void {
    if (this.cancelled) throw this.stop.signal.reason;
  }
  /** Stops the progress poll and the shutdown listener; the run's outcome is recorded by then. */
  close(): void {
    clearInterval(this.poll);
    this.ctx.signal.removeEventListener('abort', this.onShutdown);
  }
}
