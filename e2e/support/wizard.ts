// The port wizard as the AWS and Azure specs walk it.
import { expect, type Locator, type Page } from '@playwright/test';

/** A wizard step's heading. */
export const stepHeading = (page: Page, name: string | RegExp): Locator =>
  page.getByRole('heading', { level: 2, name, exact: true });

/** Presses the wizard's Next and waits for the next step's heading. */
export async function nextStep(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(stepHeading(page, name)).toBeVisible();
}

/** Opens a step from the wizard's navigation and waits for its heading. */
export async function openStep(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Port setup steps' }).getByRole('button', { name, exact: true }).click();
  await expect(stepHeading(page, name)).toBeVisible();
}

/** A rule row of a port-rule table, by its port (e.g. "TCP 15150"). */
export const ruleRow = (page: Page, table: string, port: number): Locator =>
  page
    .getByLabel(table, { exact: true })
    .locator('tbody tr')
    .filter({ hasText: `TCP ${port}` });
