// The stack the end-to-end tests run against: the one `hack/run start` brings up
// (hack/local-stack/stack.ts) — control plane with 5 fake workers, the simulated cloud with its
// orphan VM, the backend with the webhook registered, demo peer pods, the console shell — on free
// ports, with the backend's output in e2e/artifacts/logs/backend.log. Used by global-setup.ts;
// stop() ends everything it started.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '../hack/controlplane/fixtures.ts';
import { buildPluginIfStale as buildPlugin } from '../hack/local-stack/plugin-build.ts';
import type { RealConsoleVersion } from '../hack/local-stack/real-console.ts';
import { startLocalStack, type LocalStack, type RealConsoleUrls } from '../hack/local-stack/stack.ts';
import { artifactsDir, pluginDistDir } from './paths.ts';

export interface E2eStack {
  shellUrl: string;
  /** The real consoles started beside the shell, by version. */
  realConsoles: Partial<Record<RealConsoleVersion, RealConsoleUrls>>;
  /** For specs that start a bridge of their own (another --release-version). */
  bridgeTarget: LocalStack['bridgeTarget'];
  kubeconfigPath: string;
  apiServer: string;
  backendUrl: string;
  platform: Platform;
  /** Where the simulated cloud is (moto endpoint and security group, or ARM endpoint and NSG). */
  cloud: Record<string, string>;
  stop(): Promise<void>;
}

/** Builds the plugin when dist/ is missing or older than its sources (the rule hack/start.ts uses). */
export function buildPluginIfStale(log: (line: string) => void): void {
  buildPlugin(log, '[e2e]');
}

export interface E2eStackOptions {
  /** Default: E2E_PLATFORM, else aws. */
  platform?: Platform;
  nodes?: number;
  /** Demo peer pods (some pending for lack of capacity); default true. */
  demo?: boolean;
  /** File name of the backend's log in e2e/artifacts/logs/; default backend.log (a second stack needs its own). */
  backendLogName?: string;
  /** Real consoles from ../shared/real-console/ to start beside the shell; default none. */
  realConsoles?: readonly RealConsoleVersion[];
  log?: (line: string) => void;
}

export async function startE2eStack(options: E2eStackOptions = {}): Promise<E2eStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const platform = options.platform ?? (process.env.E2E_PLATFORM === 'azure' ? 'azure' : 'aws');
  buildPluginIfStale(log);
  mkdirSync(join(artifactsDir, 'logs'), { recursive: true });
  const backendLog = join(artifactsDir, 'logs', options.backendLogName ?? 'backend.log');
  const stack = await startLocalStack({
    platform,
    nodes: options.nodes ?? 5,
    backendPort: 0,
    shellPort: 0,
    pluginDistDir,
    backendOutput: { file: backendLog },
    demo: options.demo,
    // The orphan VM is an orphan at once, the stuck demo pod stuck at once, and the inventory
    // follows cloud changes within seconds.
    orphanGraceSeconds: 0,
    stuckGraceSeconds: 0,
    inventoryIntervalSeconds: 5,
    realConsoles: options.realConsoles,
    logDir: join(artifactsDir, 'logs'),
    log,
  });
  log(`[e2e] ${platform} stack: backend ${stack.backendUrl} (log: ${backendLog})`);
  for (const line of stack.created) log(`[e2e]   ${line}`);
  return {
    shellUrl: stack.shellUrl,
    realConsoles: stack.realConsoles,
    bridgeTarget: stack.bridgeTarget,
    kubeconfigPath: stack.kubeconfigPath,
    apiServer: stack.apiServer,
    backendUrl: stack.backendUrl,
    platform,
    cloud: stack.cloud?.details ?? {},
    stop: stack.stop,
  };
}
