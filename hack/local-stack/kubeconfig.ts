// `--kubeconfig FILE`: the real cluster the backend and the console shell act on, read and checked
// before anything starts. Every problem is a StartUsageError that names the flag, the file and the
// fix; none of them repeats a credential (a YAML error names the line, never the text around it).
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { load, YAMLException } from 'js-yaml';
import { StartUsageError } from './args.ts';

/** Environment variables that add or replace the shell's users' bearer tokens in --kubeconfig mode. */
export const ADMIN_TOKEN_ENV = 'PEERPODS_SHELL_ADMIN_TOKEN';
export const DEVELOPER_TOKEN_ENV = 'PEERPODS_SHELL_DEVELOPER_TOKEN';

export interface TargetCluster {
  /** Absolute path of the kubeconfig. */
  path: string;
  context: string;
  cluster: string;
  user: string;
  /** API server URL without a trailing slash. */
  server: string;
  /** The cluster's CA (certificate-authority[-data]); unset: the system trust store. */
  caPem?: string;
  insecureSkipTlsVerify: boolean;
  /** The shell's admin: the kubeconfig user's credentials (or ADMIN_TOKEN_ENV's token). */
  admin: { token?: string; clientCertificate?: { certPem: string; keyPem: string } };
  /** The shell's non-admin user: only with DEVELOPER_TOKEN_ENV. */
  developerToken?: string;
  /** Where the admin token came from, for the start banner. */
  adminCredentials: string;
  kubeConfig: KubeConfig;
}

const flagError = (path: string, problem: string) => new StartUsageError(`--kubeconfig: ${path} ${problem}`);

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** kubectl's `tokenFile` (client-node reads only a `token-file` key, relative to the working directory). */
function readTokenFile(document: object, userName: string, path: string): string | undefined {
  const users = (document as { users?: { name?: string; user?: { tokenFile?: unknown } }[] }).users;
  const tokenFile = users?.find((entry) => entry.name === userName)?.user?.tokenFile;
  if (typeof tokenFile !== 'string' || !tokenFile) return undefined;
  const file = resolve(path, '..', tokenFile);
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (err) {
    throw flagError(
      path,
      `has user "${userName}" whose tokenFile ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** Reads, parses and checks a kubeconfig, and resolves its current user's credentials. */
export async function loadTargetCluster(
  file: string,
  env: Record<string, string | undefined> = process.env,
): Promise<TargetCluster> {
  const path = resolve(file);
  if (!existsSync(path)) {
    throw flagError(
      path,
      'does not exist; pass the path of a kubeconfig file (`oc login` and `kubectl config` write ~/.kube/config)',
    );
  }
  if (!statSync(path).isFile()) throw flagError(path, 'is not a file; pass the path of a kubeconfig file');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw flagError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`);
  }

  let document: unknown;
  try {
    document = load(text);
  } catch (err) {
    if (err instanceof YAMLException) {
      // The exception's own message quotes the lines around the error, which may hold a token.
      throw flagError(
        path,
        `is not valid YAML (${err.mark ? `line ${err.mark.line + 1}: ` : ''}${err.reason}); fix the file or export a fresh one with \`kubectl config view --raw --minify > FILE\``,
      );
    }
    throw err;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw flagError(path, 'is not a kubeconfig (expected a YAML mapping with clusters, users and contexts)');
  }
  const kind = (document as { kind?: unknown }).kind;
  if (kind !== undefined && kind !== 'Config') {
    throw flagError(path, `is a ${String(kind)}, not a kubeconfig (kind: Config)`);
  }

  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
    // Relative certificate and key paths are relative to the kubeconfig, as kubectl reads them.
    kubeConfig.makePathsAbsolute(resolve(path, '..'));
  } catch (err) {
    throw flagError(
      path,
      `is not a valid kubeconfig (${(err as Error).message}); check it with \`kubectl config view --kubeconfig ${path}\``,
    );
  }

  const contextNames = kubeConfig.getContexts().map((c) => c.name);
  const contextName = kubeConfig.getCurrentContext();
  if (!contextName) {
    throw flagError(
      path,
      contextNames.length === 0
        ? 'has no contexts; log in to the cluster first (`oc login …` or `kubectl config set-context`)'
        : `has no current-context; choose one with \`kubectl config use-context <name> --kubeconfig ${path}\` (contexts: ${contextNames.join(', ')})`,
    );
  }
  const context = kubeConfig.getContextObject(contextName);
  if (!context) {
    throw flagError(
      path,
      `names current-context "${contextName}", which is not among its contexts (${contextNames.join(', ') || 'none'}); fix it with \`kubectl config use-context <name> --kubeconfig ${path}\``,
    );
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw flagError(
      path,
      `has context "${contextName}" naming cluster "${context.cluster}", which the file does not define; add the cluster or pick another context`,
    );
  }
  const user = kubeConfig.getCurrentUser();
  if (!user) {
    throw flagError(
      path,
      `has context "${contextName}" naming user "${context.user}", which the file does not define; log in again (\`oc login\`) or pick another context`,
    );
  }
  try {
    const url = new URL(cluster.server);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    throw flagError(
      path,
      `has cluster "${cluster.name}" with server "${cluster.server}", which is not an https:// URL`,
    );
  }

  // What kubectl would send: CA, client certificate, and a bearer token from token, tokenFile,
  // exec or auth-provider — resolved through client-node, as the backend will resolve them.
  const options: RequestOptions = {};
  try {
    await kubeConfig.applyToHTTPSOptions(options);
  } catch (err) {
    throw flagError(
      path,
      `has user "${user.name}" whose credentials could not be read (${(err as Error).message.split('\n')[0]!.slice(0, 200)}); log in again (\`oc login\`) or fix the user entry`,
    );
  }
  const authorization = asText((options.headers as Record<string, unknown> | undefined)?.Authorization);
  const kubeconfigToken =
    (authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined) ||
    readTokenFile(document, user.name, path);
  const certPem = asText(options.cert);
  const keyPem = asText(options.key);
  const clientCertificate = certPem && keyPem ? { certPem, keyPem } : undefined;
  const envToken = env[ADMIN_TOKEN_ENV]?.trim() || undefined;
  const token = envToken ?? kubeconfigToken;
  if (!token && !clientCertificate) {
    throw flagError(
      path,
      `has user "${user.name}" with neither a bearer token nor a client certificate; log in (\`oc login\`), or set ${ADMIN_TOKEN_ENV} to a token of a cluster admin`,
    );
  }

  return {
    path,
    context: contextName,
    cluster: cluster.name,
    user: user.name,
    server: cluster.server.replace(/\/+$/, ''),
    caPem: asText(options.ca),
    insecureSkipTlsVerify: cluster.skipTLSVerify === true,
    admin: { token, clientCertificate },
    developerToken: env[DEVELOPER_TOKEN_ENV]?.trim() || undefined,
    adminCredentials: envToken
      ? `the token in ${ADMIN_TOKEN_ENV}`
      : kubeconfigToken
        ? `the bearer token of user "${user.name}"`
        : `the client certificate of user "${user.name}"`,
    kubeConfig,
  };
}
