// Playwright global setup: starts the e2e stack once for the run and hands its addresses to the
// tests through environment variables (the workers inherit them). The returned function is
// Playwright's teardown.
import type { FullConfig } from '@playwright/test';
import { requireChromium } from '../hack/chromium.ts';
import { availableRealConsoles, realConsoleAbsence } from '../hack/local-stack/real-console.ts';
import { startE2eStack } from './stack.ts';
import { BRIDGE_TARGET_ENV, CONSOLES_ENV, e2eRealConsoles } from './support/console.ts';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  requireChromium();
  const realConsoles = e2eRealConsoles();
  if (realConsoles.length === 0) {
    const why =
      availableRealConsoles().length > 0 ? 'E2E_REAL_CONSOLES excludes every console here' : realConsoleAbsence();
    console.log(`[e2e] real-console lane skipped: ${why}`);
  }
  const stack = await startE2eStack({ realConsoles });
  process.env.CONSOLE_SHELL_URL = stack.shellUrl;
  // The local control plane's throwaway admin token: specs that start a bridge of their own need it.
  process.env[BRIDGE_TARGET_ENV] = JSON.stringify(stack.bridgeTarget);
  process.env[CONSOLES_ENV] = JSON.stringify({
    shell: { admin: stack.shellUrl, developer: stack.shellUrl },
    ...stack.realConsoles,
  });
  process.env.E2E_KUBECONFIG = stack.kubeconfigPath;
  // Where the simulated cloud is (moto endpoint and security group, or ARM endpoint and NSG): JSON.
  process.env.E2E_CLOUD = JSON.stringify({ platform: stack.platform, ...stack.cloud });
  console.log(`[e2e] console shell ${stack.shellUrl}`);
  for (const [version, urls] of Object.entries(stack.realConsoles)) {
    console.log(`[e2e] OpenShift console ${version}: ${urls.admin} (admin), ${urls.developer} (developer)`);
  }
  return () => stack.stop();
}
