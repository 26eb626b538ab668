// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here), with the
// flags that keep it off the network; screenshots go to .tmp/screenshots (or BROWSER_SCREENSHOTS).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium';

export const SCREENSHOTS = process.env.BROWSER_SCREENSHOTS ?? join(__dirname, '..', '..', '.tmp', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, '--disable-dev-shm-usage'],
  });
}

export async function newPage(
  browser: Browser,
  base: string,
  opts: { width?: number; dark?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: base,
    acceptDownloads: true,
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Signs in through the page's form and waits for the page it lands on. */
export async function signIn(
  page: Page,
  token: string,
  path = '/sign-in',
  lands = '**/analytics/export',
): Promise<void> {
  await page.goto(path);
  await page.getByLabel('API key').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(lands);
}

/** Serious or critical axe-core violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`,
    );
}

/** Full-page screenshots: desktop light and 375 px dark; all four combinations with BROWSER_SCREENSHOTS_ALL=1. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const viewport = page.viewportSize();
  const all = process.env.BROWSER_SCREENSHOTS_ALL === '1';
  await page.mouse.move(0, 0); // no hover tooltip in the picture
  for (const [width, label] of [
    [1280, 'desktop'],
    [375, 'mobile'],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300); // charts re-measure their box after a resize
    for (const scheme of all
      ? (['light', 'dark'] as const)
      : label === 'desktop'
        ? (['light'] as const)
        : (['dark'] as const)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}-${scheme}.png`), fullPage: true });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (viewport) await page.setViewportSize(viewport);
}

/** Presses Tab until the focused element matches `selector` (the keyboard-only path). */
export async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.locator(`${selector}:focus`).count()) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
