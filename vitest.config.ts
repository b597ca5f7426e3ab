import { defineConfig } from 'vitest/config';

// Two lanes, each runnable alone and both run by `hack/run test`:
// - unit (`npm run test:unit`, projects unit:*): no control plane, no cloud emulator, no tool to
//   build or install — the contract's rules, the backend's and hack's logic, the console shell's
//   SDK runtime, and the plugin's components in jsdom;
// - integration (`npm run test:integration`, files named *.integration.test.ts): real control
//   planes (etcd + kube-apiserver + kube-scheduler), moto, the ARM test server, helm, hadolint,
//   Prometheus, and the production webpack build of the plugin (its manifest test).
// Forked workers, so that the processes an integration test starts are torn down with it. The
// timeouts are a last resort for a hung test, not a budget: tests await conditions.
const integration = '**/*.integration.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit:contract',
          environment: 'node',
          include: ['contract/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'unit:node',
          environment: 'node',
          include: ['backend/**/*.test.ts', 'hack/**/*.test.ts', 'bench/**/*.test.ts', 'console-shell/**/*.test.ts'],
          exclude: [integration, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'unit:plugin',
          environment: 'jsdom',
          globals: true,
          include: ['console-plugin/**/*.test.{ts,tsx}'],
          exclude: [integration, '**/node_modules/**'],
          setupFiles: ['console-plugin/src/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          // Builds or confirms the control-plane binaries once, before any integration test starts.
          globalSetup: ['hack/test/global-setup.ts'],
          include: [
            `backend/${integration}`,
            `hack/${integration}`,
            `bench/${integration}`,
            `console-plugin/${integration}`,
          ],
        },
      },
    ],
  },
});
