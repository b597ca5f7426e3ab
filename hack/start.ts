// The README's start command (`hack/run start`): the whole product on this machine — a real
// control plane with fake workers, a simulated AWS or Azure cloud, the backend with its webhook,
// demo peer pods and the console shell — or, with --kubeconfig, backend and shell against a real
// cluster. The work is in hack/local-stack/; this file is the command line around it: flags,
// the plugin build, the banner, and a clean stop on Ctrl-C, SIGINT or SIGTERM.
import { constants as osConstants } from 'node:os';
import { parseStartArgs, START_USAGE, StartUsageError, type StartOptions } from './local-stack/args.ts';
import { buildPluginIfStale } from './local-stack/plugin-build.ts';
import { availableRealConsoles, realConsoleAbsence } from './local-stack/real-console.ts';
import { preflight, startLocalStack, type LocalStack } from './local-stack/stack.ts';

let options: StartOptions | undefined;
try {
  options = parseStartArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof StartUsageError)) throw err;
  console.error(err.message);
  process.exit(2);
}
if (!options) {
  console.log(START_USAGE);
  process.exit(0);
}
// A plugin built elsewhere, served as it is instead of building dist/ (the signals test serves a stand-in).
const prebuiltPluginDir = process.env.PEERPODS_PLUGIN_DIST_DIR || undefined;

const started = Date.now();
let stack: LocalStack | undefined;
let stopping: Promise<void> | undefined;
async function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    console.log('\n[start] stopping the console shell, backend, simulated cloud and control plane');
    await stack?.stop();
  })();
  await stopping;
  process.exit(code);
}
// Ctrl-C or `kill`: stop everything, then exit as a shell reports a command ended by that signal.
let stopSignal: 'SIGINT' | 'SIGTERM' | undefined;
const exitStatusFor = (signal: NodeJS.Signals) => 128 + osConstants.signals[signal];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Once is enough: a terminal's Ctrl-C arrives twice, from the terminal and passed on by npm.
    if (stopSignal) return;
    stopSignal = signal;
    // While starting, the start runs to its end and then stops (a terminal's Ctrl-C, which also
    // reaches the backend, makes it fail sooner and clean up).
    if (stack) void shutdown(exitStatusFor(signal));
  });
}

try {
  const log = (line: string) => console.log(line);
  // A wrong --kubeconfig or a taken port is refused before the plugin build, not after.
  const target = await preflight({ ...options, log });
  if (!prebuiltPluginDir) buildPluginIfStale(log);
  const realConsoles = options.realConsoles.filter((version) => availableRealConsoles().includes(version));
  if (realConsoles.length < options.realConsoles.length) console.log(`[start] ${realConsoleAbsence()}`);
  stack = await startLocalStack({ ...options, realConsoles, target, pluginDistDir: prebuiltPluginDir, log });
} catch (err) {
  if (err instanceof StartUsageError) {
    console.error(err.message);
    process.exit(2);
  }
  if (stopSignal) {
    console.log('[start] interrupted; what had started is stopped');
    process.exit(exitStatusFor(stopSignal));
  }
  console.error(`[start] failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
}
if (stopSignal) await shutdown(exitStatusFor(stopSignal));

void stack.backendExit.then((code) => {
  if (stopping) return;
  console.error(`[start] the backend exited with code ${code}; stopping everything`);
  void shutdown(1);
});

const indent = (lines: string[]) => lines.map((line) => `    ${line}`).join('\n');
console.log(`
Peer Pods Console is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  console shell   ${stack.shellUrl}/peer-pods
  users           switch in the shell's masthead (also the language and a dark theme):
${indent(stack.users)}
${Object.entries(stack.realConsoles)
  .map(
    ([version, urls]) =>
      `  console ${version}    ${urls.admin}/peer-pods (admin)${urls.developer ? `, ${urls.developer}/peer-pods (developer)` : ''}
`,
  )
  .join('')}
  API server      ${stack.apiServer}
  kubeconfig      ${stack.kubeconfigPath}
  backend         ${stack.backendUrl}/healthz
  health, metrics ${stack.metricsUrl}/readyz, ${stack.metricsUrl}/metrics
  created:
${indent(stack.created)}
${stack.warnings.length > 0 ? `  warnings:\n${indent(stack.warnings)}\n` : ''}
Try: KUBECONFIG=${stack.kubeconfigPath} kubectl get nodes,pods -A   (if kubectl is installed)
Press Ctrl-C to stop everything.
`);
