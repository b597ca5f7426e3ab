// The start command's flags (`hack/run start [flags]`), parsed once into typed options. A bad
// flag is an error that names the flag, what it accepts and how to fix it.
import { parseArgs } from 'node:util';
import type { Platform } from '../controlplane/fixtures.ts';
import { REAL_CONSOLE_VERSIONS, type RealConsoleVersion } from './real-console.ts';

export const START_USAGE = `usage: hack/run start [--platform aws|azure] [--nodes N] [--kubeconfig FILE] [--port PORT] [--shell-port PORT]
                      [--real-console VERSION[,VERSION]]

  --platform aws|azure   the simulated cloud: moto EC2 (aws, default) or the ARM test server (azure)
  --nodes N              fake worker nodes, 0-5000 (default 5)
  --kubeconfig FILE      use a real cluster instead: no local control plane, no simulated cloud, no
                         demo objects; backend and console shell act with FILE's current context
  --port PORT            backend port (default 9001; 0 picks a free one)
  --shell-port PORT      console shell port (default 9000; 0 picks a free one)
  --real-console 4.20,4.22
                         also start the real OpenShift console of these versions from
                         ../shared/real-console/ (where it exists), one per user, on 127.0.0.x
  --help                 this text`;

export interface StartOptions {
  platform: Platform;
  nodes: number;
  /** A real cluster's kubeconfig; unset: the local control plane with a simulated cloud. */
  kubeconfig?: string;
  /** 0: a free port. */
  backendPort: number;
  shellPort: number;
  /** Real consoles to start beside the shell. */
  realConsoles: RealConsoleVersion[];
}

/** A flag the start command does not accept; the message says which and what to do. */
export class StartUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartUsageError';
  }
}

function port(flag: string, raw: string): number {
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 0 && value <= 65535)) {
    throw new StartUsageError(`--${flag}: "${raw}" is not a port; use a number from 1 to 65535, or 0 for a free port`);
  }
  return value;
}

/** Parses the start command's arguments; undefined means --help was asked for. */
export function parseStartArgs(argv: string[]): StartOptions | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // npm passes a literal "--" through when called as `npm run start -- …`.
      args: argv.filter((arg) => arg !== '--'),
      options: {
        platform: { type: 'string', default: 'aws' },
        nodes: { type: 'string', default: '5' },
        kubeconfig: { type: 'string' },
        port: { type: 'string', default: '9001' },
        'shell-port': { type: 'string', default: '9000' },
        'real-console': { type: 'string', default: '' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new StartUsageError(`${(err as Error).message}\n${START_USAGE}`);
  }
  if (values.help) return undefined;

  const platform = String(values.platform);
  if (platform !== 'aws' && platform !== 'azure') {
    throw new StartUsageError(`--platform: "${platform}" is not supported; use aws or azure`);
  }
  const nodesRaw = String(values.nodes);
  const nodes = /^\d{1,4}$/.test(nodesRaw) ? Number(nodesRaw) : NaN;
  if (!(nodes >= 0 && nodes <= 5000)) {
    throw new StartUsageError(`--nodes: "${nodesRaw}" is not accepted; use a whole number from 0 to 5000`);
  }
  const kubeconfig = values.kubeconfig === undefined ? undefined : String(values.kubeconfig);
  if (kubeconfig !== undefined && kubeconfig.trim() === '') {
    throw new StartUsageError('--kubeconfig: the path is empty; pass the path of a kubeconfig file');
  }
  if (kubeconfig !== undefined) {
    // The real cluster has its own cloud and nodes: these flags would silently do nothing.
    const explicit = argv.filter((arg) => /^--(platform|nodes)(=|$)/.test(arg));
    if (explicit.length > 0) {
      throw new StartUsageError(
        `${explicit[0]!.split('=')[0]}: not used with --kubeconfig (the real cluster has its own platform and nodes); drop one of the two`,
      );
    }
  }
  const realConsoles = String(values['real-console'])
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const version of realConsoles) {
    if (!(REAL_CONSOLE_VERSIONS as readonly string[]).includes(version)) {
      throw new StartUsageError(
        `--real-console: "${version}" is not a console this project has; use ${REAL_CONSOLE_VERSIONS.join(' or ')}, comma-separated`,
      );
    }
  }
  return {
    platform,
    nodes,
    kubeconfig,
    realConsoles: realConsoles as RealConsoleVersion[],
    backendPort: port('port', String(values.port)),
    shellPort: port('shell-port', String(values['shell-port'])),
  };
}
