import { defineConfig } from 'vitest/config';

// One runner for unit, component and integration tests. Integration tests start real
// control planes (etcd + kube-apiserver + kube-scheduler) and real cloud endpoints, so
// they get generous timeouts and run in forked processes that can be torn down cleanly.
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
          name: 'node',
          environment: 'node',
          // Builds or confirms the control-plane binaries once, before any node test starts.
          globalSetup: ['hack/test/global-setup.ts'],
          include: ['backend/**/*.test.ts', 'hack/**/*.test.ts', 'bench/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'plugin',
          environment: 'jsdom',
          globals: true,
          include: ['console-plugin/**/*.test.{ts,tsx}'],
          setupFiles: ['console-plugin/src/test/setup.ts'],
        },
      },
    ],
  },
});
