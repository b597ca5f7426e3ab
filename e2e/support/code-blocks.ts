// Commands shown to copy (CopyableCodeBlock): read whole, nothing cut off or scrolled out of view.
import { expect, type Locator } from '@playwright/test';

/** The wide viewport the issue was seen at: a command must fit by wrapping, not by scrolling. */
export const ADMIN_VIEWPORT = { width: 1280, height: 900 };

interface Shown {
  scrollWidth: number;
  clientWidth: number;
  whiteSpace: string;
  textOverflow: string;
  fontFamily: string;
}

/** The code block (e.g. the one named "Command 1") shows exactly `text`, wrapped, monospace, all of it in view. */
export async function expectWholeCode(block: Locator, text: string): Promise<void> {
  const code = block.locator('pre');
  await expect(code).toHaveCount(1);
  expect(await code.textContent()).toBe(text);
  // Typed by hand: this file is compiled without the DOM's types.
  const shown = await code.evaluate((element: unknown): Shown => {
    const box = element as { scrollWidth: number; clientWidth: number };
    const page = globalThis as unknown as {
      getComputedStyle: (target: unknown) => { whiteSpace: string; textOverflow: string; fontFamily: string };
    };
    const style = page.getComputedStyle(element);
    return {
      scrollWidth: box.scrollWidth,
      clientWidth: box.clientWidth,
      whiteSpace: style.whiteSpace,
      textOverflow: style.textOverflow,
      fontFamily: style.fontFamily,
    };
  });
  expect(shown.scrollWidth, `the code of "${text}" is wider than its box`).toBeLessThanOrEqual(shown.clientWidth);
  expect(shown.whiteSpace).toBe('pre-wrap');
  expect(shown.textOverflow).not.toBe('ellipsis');
  expect(shown.fontFamily).toMatch(/mono/i);
}
