// Screenshots the specs leave in e2e/artifacts/screenshots/, for review and for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';
import { artifactsDir } from '../paths.ts';

export const screenshotsDir = join(artifactsDir, 'screenshots');

/** `name`, or `<project>/<name>` in a real console, so each console's screenshots stay apart. */
function screenshotPath(name: string): string {
  const project = test.info().project.name;
  const dir = project === 'shell' || project === '' ? screenshotsDir : join(screenshotsDir, project);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** Tallest a full-page screenshot gets (a very long table is cut there). */
const MAX_SCREENSHOT_HEIGHT = 8_000;

/**
 * A screenshot of the whole page. The console's layout scrolls inside its main container, not the
 * document, so `fullPage` alone stops at the viewport: the viewport grows by what that container
 * hides for the screenshot, then returns to its size.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  const viewport = page.viewportSize();
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const hidden = await page.evaluate<number>(
    `Math.max(0, ...Array.from(document.querySelectorAll('body *'))
      .filter((el) => /(auto|scroll)/.test(getComputedStyle(el).overflowY))
      .map((el) => el.scrollHeight - el.clientHeight))`,
  );
  if (viewport && hidden > 0) {
    await page.setViewportSize({
      width: viewport.width,
      height: Math.min(viewport.height + hidden, MAX_SCREENSHOT_HEIGHT),
    });
  }
  try {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
  } finally {
    if (viewport && hidden > 0) await page.setViewportSize(viewport);
  }
}

/** What the window shows now, as it is (a dialog over the page). */
export async function viewportScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: screenshotPath(name) });
}
