// Playwright global setup: starts the e2e stack once for the run and hands its addresses to the
// tests through environment variables (the workers inherit them). The returned function is
// Playwright's teardown.
import type { FullConfig } from '@playwright/test';
import { requireChromium } from './chromium.ts';
import { startE2eStack } from './stack.ts';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  requireChromium();
  const stack = await startE2eStack();
  process.env.CONSOLE_SHELL_URL = stack.shellUrl;
  process.env.E2E_KUBECONFIG = stack.kubeconfigPath;
  // Where the simulated cloud is (moto endpoint and security group, or ARM endpoint and NSG): JSON.
  process.env.E2E_CLOUD = JSON.stringify({ platform: stack.platform, ...stack.cloud });
  console.log(`[e2e] console shell ${stack.shellUrl}`);
  return () => stack.stop();
}
