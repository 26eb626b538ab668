import { notifyFinished } from './finished-hook';

const fakeLogger = () => {
  const lines: string[] = [];
  return {
    lines,
    warn: (a: unknown, b?: string) => void lines.push(typeof a === 'string' ? a : `${b} ${JSON.stringify(a)}`),
  };
};
const never = () => new Promise<void>(() => {});
const e1 = { id: 'e1', run_id: 'r1' };
const e2 = { id: 'e2', run_id: null };
const running = () => new AbortController().signal;
/** Settles `p` or says it is still pending after `ms`. */
const stateAfter = (p: Promise<void>, ms: number) =>
  Promise.race([p.then(() => 'settled'), new Promise((r) => setTimeout(r, ms, 'pending'))]);

describe('notifyFinished', () => {
  it('waits for the hook with the export and its outcome', async () => {
    const calls: unknown[] = [];
    const logger = fakeLogger();
    await notifyFinished(async (...args) => void calls.push(args), e1, 'failed', {
      stopping: running(),
      cancel: running(),
      logger,
    });
    expect(calls).toEqual([[e1, 'failed']]);
    expect(logger.lines).toEqual([]);
  });

  it('logs a failing hook instead of throwing: the export is recorded whatever the hook does', async () => {
    const logger = fakeLogger();
    const failing = () => Promise.reject(new Error('redis went away'));
    await expect(
      notifyFinished(failing, e1, 'succeeded', { stopping: running(), cancel: running(), logger }),
    ).resolves.toBeUndefined();
    expect(logger.lines).toEqual([expect.stringMatching(/^finished hook failed.*redis went away/)]);
  });

  it('waits for a slow hook as long as it takes while the worker is not stopping', async () => {
    const logger = fakeLogger();
    expect(
      await stateAfter(
        notifyFinished(never, e1, 'succeeded', { stopping: running(), cancel: running(), logger, graceMs: 10 }),
        100,
      ),
    ).toBe('pending');
    expect(logger.lines).toEqual([]);
  });

  it('gives up the grace after the worker starts to stop, or the grace from now when it already has', async () => {
    const stopping = new AbortController();
    const logger = fakeLogger();
    const waiting = notifyFinished(never, e1, 'succeeded', {
      stopping: stopping.signal,
      cancel: running(),
      logger,
      graceMs: 50,
    });
    expect(await stateAfter(waiting, 100)).toBe('pending');
    const stopped = Date.now();
    stopping.abort();
    expect(await stateAfter(waiting, 1000)).toBe('settled');
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(45);
    expect(logger.lines).toEqual([expect.stringMatching(/^shutting down before the finished hook returned/)]);

    const already = notifyFinished(never, e2, 'succeeded', {
      stopping: stopping.signal,
      cancel: running(),
      logger,
      graceMs: 50,
    });
    expect(await stateAfter(already, 20)).toBe('pending');
    expect(await stateAfter(already, 1000)).toBe('settled');
  });

  it('gives up at once when the job is cancelled, grace or not', async () => {
    const cancel = new AbortController();
    const logger = fakeLogger();
    const waiting = notifyFinished(never, e1, 'succeeded', {
      stopping: running(),
      cancel: cancel.signal,
      logger,
      graceMs: 60_000,
    });
    expect(await stateAfter(waiting, 50)).toBe('pending');
    cancel.abort();
    expect(await stateAfter(waiting, 20)).toBe('settled');
    const stopping = new AbortController();
    stopping.abort();
    await notifyFinished(never, e2, 'succeeded', {
      stopping: stopping.signal,
      cancel: cancel.signal,
      logger,
      graceMs: 60_000,
    });
    expect(logger.lines).toHaveLength(2);
  });

  it('a hook that returns within the grace is waited for, not cut short', async () => {
    const stopping = new AbortController();
    stopping.abort();
    let done = false;
    const hook = () => new Promise<void>((r) => setTimeout(() => ((done = true), r()), 20));
    const logger = fakeLogger();
    await notifyFinished(hook, e1, 'succeeded', {
      stopping: stopping.signal,
      cancel: running(),
      logger,
      graceMs: 500,
    });
    expect(done).toBe(true);
    expect(logger.lines).toEqual([]);
  });
});
