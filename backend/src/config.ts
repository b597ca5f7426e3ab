// Configuration is read once, at start-up, from command-line flags and environment variables
// (a flag wins over its variable), validated, and handed to the rest of the backend as one
// typed, frozen object. Nothing else in the backend reads process.env.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_STUCK_GRACE_SECONDS } from '@peer-pods-console/contract/operations';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

interface Setting<T> {
  flag: string;
  env: string;
  schema: z.ZodType<T>;
  /** What a person should write, shown when the value is rejected. */
  accepted: string;
  default?: string;
  /** Another spelling of the variable that upstream also uses. */
  envAlias?: string;
}

const port = z.coerce.number().int().min(0).max(65535);
const nonEmpty = z.string().trim().min(1);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const settings = {
  host: {
    flag: 'host',
    env: 'HOST',
    schema: nonEmpty,
    accepted: 'an address to listen on, e.g. 0.0.0.0',
    default: '0.0.0.0',
  },
  port: { flag: 'port', env: 'PORT', schema: port, accepted: 'a TCP port 0-65535', default: '9001' },
  // Its own port, out of the console proxy's reach: the proxy forwards to the API port only.
  metricsPort: {
    flag: 'metrics-port',
    env: 'METRICS_PORT',
    schema: port,
    accepted: 'a TCP port 0-65535 for /healthz, /readyz and /metrics (probes and Prometheus)',
    default: '9444',
  },
  basePath: {
    flag: 'base-path',
    env: 'BASE_PATH',
    schema: z.string().regex(/^\/([A-Za-z0-9._~-]+\/)*$/),
    accepted: 'a URL path that starts and ends with "/", e.g. / or /backend/',
    default: '/',
  },
  tlsCertFile: {
    flag: 'tls-cert-file',
    env: 'TLS_CERT_FILE',
    schema: z.string(),
    accepted: 'a PEM file path',
    default: '',
  },
  tlsKeyFile: {
    flag: 'tls-key-file',
    env: 'TLS_KEY_FILE',
    schema: z.string(),
    accepted: 'a PEM file path',
    default: '',
  },
  pluginAssetsDir: {
    flag: 'plugin-assets-dir',
    env: 'PLUGIN_ASSETS_DIR',
    schema: z.string(),
    accepted: 'the directory holding plugin-manifest.json (the webpack output), or empty to serve no assets',
    default: 'dist',
  },
  kubeconfig: {
    flag: 'kubeconfig',
    env: 'KUBECONFIG',
    schema: z.string(),
    accepted: 'a kubeconfig file path, or empty to use the in-cluster service account',
    default: '',
  },
  logLevel: {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    schema: z.enum(LOG_LEVELS),
    accepted: LOG_LEVELS.join(', '),
    default: 'info',
  },
  shutdownTimeoutSeconds: {
    flag: 'shutdown-timeout-seconds',
    env: 'SHUTDOWN_TIMEOUT_SECONDS',
    schema: z.coerce.number().int().min(1).max(600),
    accepted: 'whole seconds 1-600 to let in-flight requests finish on SIGTERM',
    default: '25',
  },
  leaderElection: {
    flag: 'leader-election',
    env: 'LEADER_ELECTION',
    schema: bool,
    accepted: 'true or false',
    default: 'true',
  },
  webhookPort: {
    flag: 'webhook-port',
    env: 'WEBHOOK_PORT',
    schema: port,
    accepted: 'a TCP port 0-65535 for the admission webhook (HTTPS)',
    default: '9443',
  },
  webhookCertFile: {
    flag: 'webhook-cert-file',
    env: 'WEBHOOK_CERT_FILE',
    schema: z.string(),
    accepted: 'a PEM file path; empty disables the webhook',
    default: '',
  },
  webhookKeyFile: {
    flag: 'webhook-key-file',
    env: 'WEBHOOK_KEY_FILE',
    schema: z.string(),
    accepted: 'a PEM file path',
    default: '',
  },
  targetRuntimeClass: {
    flag: 'target-runtime-class',
    env: 'TARGET_RUNTIME_CLASS',
    schema: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
    envAlias: 'TARGET_RUNTIMECLASS',
    accepted: 'a RuntimeClass name (DNS subdomain), e.g. kata-remote',
    default: 'kata-remote',
  },
  extendedResource: {
    flag: 'pod-vm-extended-resource',
    env: 'POD_VM_EXTENDED_RESOURCE',
    schema: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/),
    accepted: 'a domain-qualified extended resource name, e.g. kata.peerpods.io/vm',
    default: 'kata.peerpods.io/vm',
  },
  webhookExcludedNamespaces: {
    flag: 'webhook-excluded-namespaces',
    env: 'WEBHOOK_EXCLUDED_NAMESPACES',
    schema: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?-?\*?$/))),
    accepted: 'comma-separated namespace names, a trailing * matches a prefix (e.g. kube-system,openshift-*)',
    default: 'kube-system,kube-node-lease,openshift-*',
  },
  peerPodConfigNamespace: {
    flag: 'peerpodconfig-namespace',
    env: 'PEERPODCONFIG_NAMESPACE',
    schema: nonEmpty,
    accepted: 'the namespace of the PeerPodConfig',
    default: 'openshift-sandboxed-containers-operator',
  },
  peerPodConfigName: {
    flag: 'peerpodconfig-name',
    env: 'PEERPODCONFIG_NAME',
    schema: nonEmpty,
    accepted: 'the name of the PeerPodConfig that wins when several match a node',
    default: 'peerpodconfig-openshift',
  },
  leaseNamespace: {
    flag: 'lease-namespace',
    env: 'POD_NAMESPACE',
    schema: z.string(),
    accepted: 'the namespace for the leader-election Lease (default: the PeerPodConfig namespace)',
    default: '',
  },
  identity: {
    flag: 'identity',
    env: 'POD_NAME',
    schema: z.string(),
    accepted: "this replica's leader-election identity (default: host name and process id)",
    default: '',
  },
  awsEndpoint: {
    flag: 'aws-endpoint',
    env: 'AWS_ENDPOINT_URL',
    schema: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    accepted: "an https:// or http:// URL of the EC2 API, or empty for the region's public endpoint",
    default: '',
  },
  // Empty: derived from infrastructure/cluster (status.platformStatus.azure.cloudName and
  // armEndpoint), so US Government and China clusters reach their own cloud; set only to override.
  azureArmEndpoint: {
    flag: 'azure-arm-endpoint',
    env: 'AZURE_ARM_ENDPOINT',
    schema: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    accepted:
      "the Azure Resource Manager URL, e.g. https://management.azure.com, or empty for the one infrastructure/cluster's Azure cloud uses",
    default: '',
  },
  azureAuthorityHost: {
    flag: 'azure-authority-host',
    env: 'AZURE_AUTHORITY_HOST',
    schema: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    accepted:
      "the Microsoft Entra authority URL, e.g. https://login.microsoftonline.com, or empty for the one infrastructure/cluster's Azure cloud uses",
    default: '',
  },
  orphanGraceSeconds: {
    flag: 'orphan-grace-seconds',
    env: 'ORPHAN_GRACE_SECONDS',
    schema: z.coerce.number().int().min(0).max(86400),
    accepted: 'whole seconds 0-86400 a VM without pod or PeerPod is given before it counts as orphaned',
    default: '600',
  },
  inventoryIntervalSeconds: {
    flag: 'inventory-interval-seconds',
    env: 'INVENTORY_INTERVAL_SECONDS',
    schema: z.coerce.number().int().min(5).max(3600),
    accepted: 'whole seconds 5-3600 between cloud inventory refreshes',
    default: '60',
  },
  stuckGraceSeconds: {
    flag: 'stuck-grace-seconds',
    env: 'STUCK_GRACE_SECONDS',
    schema: z.coerce.number().int().min(0).max(86400),
    accepted: 'whole seconds 0-86400 a peer pod may stay Pending, or not Running, before it is listed as stuck',
    default: String(DEFAULT_STUCK_GRACE_SECONDS),
  },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof settings;
export type Config = Readonly<{ [K in keyof Settings]: z.output<Settings[K]['schema']> }>;

export const settingDocs = Object.entries(settings).map(([key, s]: [string, Setting<unknown>]) => ({
  key,
  flag: `--${s.flag}`,
  env: s.env,
  default: s.default ?? '',
  accepted: s.accepted,
}));

/** Parses flags and environment into a Config; throws ConfigError naming every bad setting. */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): Config {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.values(settings).map((s) => [s.flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    const known = Object.values(settings)
      .map((s) => `--${s.flag}`)
      .join(', ');
    throw new ConfigError(`${(err as Error).message}. Known flags: ${known}`);
  }
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings) as [string, Setting<unknown>][]) {
    const fromFlag = flags[setting.flag];
    const fromEnv = env[setting.env] ?? (setting.envAlias ? env[setting.envAlias] : undefined);
    const raw = typeof fromFlag === 'string' ? fromFlag : (fromEnv ?? setting.default ?? '');
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      const source = typeof fromFlag === 'string' ? `--${setting.flag}` : `${setting.env} (or --${setting.flag})`;
      problems.push(`${source}: ${JSON.stringify(raw)} is not accepted; use ${setting.accepted}`);
    }
  }
  if (Boolean(out.webhookCertFile) !== Boolean(out.webhookKeyFile)) {
    problems.push('WEBHOOK_CERT_FILE and WEBHOOK_KEY_FILE: set both (webhook on) or neither (webhook off)');
  }
  if (Boolean(out.tlsCertFile) !== Boolean(out.tlsKeyFile)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both (HTTPS) or neither (plain HTTP for local development)');
  }
  // Two listeners on one port would fail later with EADDRINUSE; name the settings that collide.
  const ports: [string, unknown][] = [
    ['PORT', out.port],
    ['METRICS_PORT', out.metricsPort],
    ...(out.webhookCertFile ? [['WEBHOOK_PORT', out.webhookPort] as [string, unknown]] : []),
  ];
  for (const [i, [name, value]] of ports.entries()) {
    if (typeof value !== 'number' || value === 0) continue;
    const clash = ports.slice(i + 1).find(([, other]) => other === value);
    if (clash) problems.push(`${name} and ${clash[0]} are both ${value}; each listener needs a port of its own`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return Object.freeze(out) as Config;
}
