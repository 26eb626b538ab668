// Renders HTML to PNG with the machine's Chromium (Debian's `chromium`), headless and offline, for tests that
// keep screenshots of what a person would see. Screenshots go to test-artifacts/ (kept with the run).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags for a quiet, offline headless Chromium, shared by the screenshots here and the browser suite. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts');

/** Screenshots `html` at the given viewport; returns the PNG's path under test-artifacts/. */
export async function screenshotHtml(
  html: string,
  name: string,
  viewport: { width: number; height: number },
): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'ax-shot-'));
  const page = join(work, 'page.html');
  const out = join(ARTIFACTS_DIR, `${name}.png`);
  writeFileSync(page, html);
  try {
    await run(
      CHROMIUM,
      [
        '--headless',
        ...CHROMIUM_FLAGS,
        '--hide-scrollbars',
        `--user-data-dir=${join(work, 'profile')}`,
        `--window-size=${viewport.width},${viewport.height}`,
        `--screenshot=${out}`,
        `file://${page}`,
      ],
      { timeout: 60_000 },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
