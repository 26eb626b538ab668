import { barLine, progressView } from './progress';

describe('progressView', () => {
  it('redraws one line on a terminal, with rows, rate and status', () => {
    const out: string[] = [];
    let t = 0;
    const view = progressView({ label: 'install_events csv', tty: true, write: (s) => out.push(s), now: () => t });
    view.update('queued', 0);
    t = 2000;
    view.update('running', 12_345);
    view.done();
    // eslint-disable-next-line no-control-regex -- the progress line ends with an ANSI erase (ESC [K)
    expect(out[0]).toMatch(/^\rinstall_events csv \[\.{24}\] 0 rows · queued · 0s\x1b\[K$/);
    // eslint-disable-next-line no-control-regex -- the progress line ends with an ANSI erase (ESC [K)
    expect(out[1]).toMatch(/^\rinstall_events csv \[ *<=> *\] 12,345 rows · 6,173 rows\/s · running · 2s\x1b\[K$/);
    expect(out[2]).toBe('\n');
  });

  it('prints plain lines off a terminal, only when something changed and at most every interval', () => {
    const out: string[] = [];
    let t = 0;
    const view = progressView({ label: 'x', tty: false, write: (s) => out.push(s), now: () => t, everyMs: 1000 });
    view.update('running', 10);
    t = 500;
    view.update('running', 20); // too soon
    t = 1600;
    view.update('running', 30);
    t = 3000;
    view.update('running', 30); // unchanged
    view.done();
    expect(out).toEqual(['x: running, 10 rows written\n', 'x: running, 30 rows written\n']);
  });

  it('keeps the sweep inside the bar', () => {
    for (let tick = 0; tick < 100; tick++) expect(barLine('l', 'running', 1, 1, tick)).toMatch(/^l \[[ <=>]{24}\] /);
  });
});
