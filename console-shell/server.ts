// The console shell's server (dev and test only): the parts of the OpenShift console's bridge
// that a dynamic plugin meets, on one local port.
//
//   /                         the shell's page (any other GET that asks for HTML, for deep links)
//   /static/…                 the shell's bundle (build.ts, in memory)
//   /api/plugins/<plugin>/…   the plugin's assets from its dist/ (plugin-manifest.json, chunks)
//   /locales/resource.json    i18next resources: ?lng=<lang>&ns=plugin__<plugin> → dist/locales/<lang>/<ns>.json
//   /api/kubernetes/…         the API server, as the signed-in user (HTTP and WebSocket)
//   /api/proxy/plugin/<plugin>/backend/…   the plugin's backend, as the signed-in user
//   /shell/session            which of the two users is signed in (GET), switch user (POST)
//   /api/prometheus/…, /api/v1/…   404 "not found", as the bridge of a console without monitoring
//
// The users' credentials (bearer tokens, or a kubeconfig's client certificate towards the API
// server) stay in this process. The browser holds only a cookie naming the user ("admin" or
// "developer") and a CSRF cookie that unsafe requests must echo in X-CSRFToken, as with the bridge.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { buildShellBundle, contentTypeFor } from './build.ts';
import { createProxyTarget, proxyHttp, proxyUpgrade } from './proxy.ts';

export type ShellUser = 'admin' | 'developer';
export const SHELL_USERS: readonly ShellUser[] = ['admin', 'developer'];

export interface ConsoleShellOptions {
  /** API server URL, e.g. https://127.0.0.1:6443 */
  apiServer: string;
  /** CA that signed the API server's serving certificate; unset: the system trust store. */
  caCertPem?: string;
  /** Skip verifying the API server's certificate (a kubeconfig's insecure-skip-tls-verify). */
  apiServerInsecureSkipTlsVerify?: boolean;
  /**
   * Bearer tokens of the users the shell can sign in as. A user with neither a token nor a client
   * certificate is not offered (a real cluster without a non-admin token).
   */
  tokens: Partial<Record<ShellUser, string>>;
  /**
   * Client certificates a user presents to the API server (a kubeconfig's client-certificate-data).
   * The backend authorizes by bearer token only, so such a user also needs a token for it.
   */
  clientCertificates?: Partial<Record<ShellUser, { certPem: string; keyPem: string }>>;
  /** Where the plugin's backend listens, e.g. http://127.0.0.1:9001 */
  backendUrl: string;
  /** CA for an https backend (default: the system store). */
  backendCaPem?: string;
  /** The plugin's webpack output: plugin-manifest.json, chunks, locales/. */
  pluginDistDir: string;
  /** Port to listen on; 0 or unset picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Alias of the backend in the ConsolePlugin's spec.proxy; default "backend". */
  backendProxyAlias?: string;
  /** Unminified React development build (better errors, slower); default false. */
  development?: boolean;
  log?: (line: string) => void;
}

export interface ConsoleShell {
  /** http://host:port */
  url: string;
  /** Name of the plugin the shell loads (from its manifest). */
  pluginName: string;
  stop(): Promise<void>;
}

const USER_COOKIE = 'console-shell-user';
const CSRF_COOKIE = 'csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The bridge's Prometheus and Alertmanager proxies, and the Prometheus API paths they take. */
const MONITORING_PATHS = /^\/api\/(v1\/|prometheus(-tenancy)?\/|alertmanager(-tenancy)?\/)/;
// i18next language codes and plugin namespaces; anything else could walk out of locales/.
const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return cookies;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** A file below `root`, or undefined when the path is missing or would leave `root`. */
function fileBelow(root: string, relativePath: string): string | undefined {
  const candidate = resolve(root, normalize(relativePath).replace(/^([/\\])+/, ''));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  if (!existsSync(candidate) || !statSync(candidate).isFile()) return undefined;
  return candidate;
}

function indexHtml(pluginName: string): string {
  const serverFlags = {
    basePath: '/',
    consoleVersion: 'console-shell',
    consolePlugins: [pluginName],
    i18nNamespaces: [`plugin__${pluginName}`],
    // Stated so that a plugin reading it sees the local shell, not a real console.
    productName: 'OpenShift console shell',
    // The bridge sets these only when cluster monitoring is configured; the shell has none.
    prometheusBaseURL: '',
    prometheusTenancyBaseURL: '',
    alertManagerBaseURL: '',
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>OpenShift console shell</title>
    <script>
      window.SERVER_FLAGS = ${JSON.stringify(serverFlags)};
      // Apply the stored theme before the first paint.
      if (localStorage.getItem('console-shell/theme') === 'dark') document.documentElement.classList.add('pf-v6-theme-dark');
    </script>
    <link rel="stylesheet" href="/static/styles.css" />
    <script type="module" src="/static/main.js"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;
}

/** Starts the shell; resolves once it listens. */
export async function startConsoleShell(options: ConsoleShellOptions): Promise<ConsoleShell> {
  const log = options.log ?? (() => {});
  const pluginDistDir = resolve(options.pluginDistDir);
  const manifestPath = join(pluginDistDir, 'plugin-manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`console shell: ${manifestPath} does not exist; build the plugin first (npm run build:plugin)`);
  }
  const pluginName = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string }).name;
  const alias = options.backendProxyAlias ?? 'backend';
  const pluginAssetsPrefix = `/api/plugins/${pluginName}/`;
  const backendPrefix = `/api/proxy/plugin/${pluginName}/${alias}/`;
  const kubernetesPrefix = '/api/kubernetes/';

  const bundle = await buildShellBundle({ minify: !options.development });
  log(`[console-shell] bundle built in ${bundle.buildMs} ms (${bundle.files.size} files)`);

  const offeredUsers = SHELL_USERS.filter((u) => options.tokens[u] || options.clientCertificates?.[u]);
  if (offeredUsers.length === 0) throw new Error('console shell: no user has a token or a client certificate');
  const apiServerTargets = new Map(
    offeredUsers.map((u) => [
      u,
      createProxyTarget(options.apiServer, options.caCertPem, {
        certPem: options.clientCertificates?.[u]?.certPem,
        keyPem: options.clientCertificates?.[u]?.keyPem,
        rejectUnauthorized: !options.apiServerInsecureSkipTlsVerify,
      }),
    ]),
  );
  const apiServerFor = (user: ShellUser) => apiServerTargets.get(user)!;
  const backend = createProxyTarget(options.backendUrl, options.backendCaPem);
  const tunnels = new Set<Duplex>();
  const track = (s: Duplex) => {
    tunnels.add(s);
    s.on('close', () => tunnels.delete(s));
  };

  const userOf = (req: IncomingMessage): ShellUser => {
    const value = parseCookies(req.headers.cookie)[USER_COOKIE];
    return offeredUsers.find((u) => u === value) ?? offeredUsers[0]!;
  };
  const csrfOk = (req: IncomingMessage): boolean => {
    const cookie = parseCookies(req.headers.cookie)[CSRF_COOKIE];
    const header = req.headers['x-csrftoken'];
    return Boolean(cookie) && header === cookie;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://shell.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const unsafe = !SAFE_METHODS.has(method);

    if (path.startsWith(kubernetesPrefix) || path.startsWith(backendPrefix)) {
      if (unsafe && !csrfOk(req)) {
        sendJson(res, 403, { message: 'console shell: missing or wrong X-CSRFToken header (use consoleFetch)' });
        return;
      }
      const [target, prefix] = path.startsWith(kubernetesPrefix)
        ? [apiServerFor(userOf(req)), kubernetesPrefix]
        : [backend, backendPrefix];
      proxyHttp(req, res, target, (req.url ?? '/').slice(prefix.length), options.tokens[userOf(req)]);
      return;
    }

    if (path.startsWith('/static/') && (method === 'GET' || method === 'HEAD')) {
      const file = bundle.files.get(path);
      if (!file) {
        sendJson(res, 404, { message: `no such shell asset ${path}` });
        return;
      }
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.contents.byteLength),
        // Chunk and asset names carry content hashes; the entry files do not.
        'cache-control': /-[A-Z0-9]{8}\.\w+$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(method === 'HEAD' ? undefined : file.contents);
      return;
    }

    if (path.startsWith(pluginAssetsPrefix) && (method === 'GET' || method === 'HEAD')) {
      const file = fileBelow(pluginDistDir, decodeURIComponent(path.slice(pluginAssetsPrefix.length)));
      if (!file) {
        sendJson(res, 404, { message: `plugin ${pluginName} has no asset ${path.slice(pluginAssetsPrefix.length)}` });
        return;
      }
      const contents = readFileSync(file);
      res.writeHead(200, {
        'content-type': contentTypeFor(file),
        'cache-control': file.endsWith('plugin-manifest.json') ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(method === 'HEAD' ? undefined : contents);
      return;
    }

    if (path === '/locales/resource.json' && method === 'GET') {
      const lng = url.searchParams.get('lng') ?? '';
      const ns = url.searchParams.get('ns') ?? '';
      if (!LANGUAGE_PATTERN.test(lng) || !/^[A-Za-z0-9_.-]+$/.test(ns)) {
        sendJson(res, 400, { message: `invalid lng or ns: ${lng} ${ns}` });
        return;
      }
      // The bridge answers plugin namespaces from the plugin's service, the others from the
      // console's own locales; the shell has no locales of its own.
      const file = ns === `plugin__${pluginName}` ? fileBelow(pluginDistDir, `locales/${lng}/${ns}.json`) : undefined;
      if (!file) {
        sendJson(res, 404, { message: `no ${ns} resources for language ${lng}` });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      res.end(readFileSync(file));
      return;
    }

    if (path === '/shell/session') {
      if (method === 'GET') {
        sendJson(res, 200, { user: userOf(req), users: offeredUsers });
        return;
      }
      if (method === 'POST') {
        if (!csrfOk(req)) {
          sendJson(res, 403, { message: 'console shell: missing or wrong X-CSRFToken header' });
          return;
        }
        let body = '';
        for await (const chunk of req) body += String(chunk);
        let user: unknown;
        try {
          user = (JSON.parse(body) as { user?: unknown }).user;
        } catch {
          user = undefined;
        }
        if (user !== 'admin' && user !== 'developer') {
          sendJson(res, 400, { message: 'user must be "admin" or "developer"' });
          return;
        }
        if (!offeredUsers.includes(user)) {
          sendJson(res, 409, {
            message: `user "${user}" is not available: this shell was started without credentials for it`,
          });
          return;
        }
        sendJson(res, 200, { user }, { 'set-cookie': `${USER_COOKIE}=${user}; Path=/; HttpOnly; SameSite=Strict` });
        return;
      }
      sendJson(res, 405, { message: 'use GET or POST' });
      return;
    }

    if (path === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      res.end();
      return;
    }

    if (method === 'GET' && !path.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
      const headers: Record<string, string> = {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      };
      if (!parseCookies(req.headers.cookie)[CSRF_COOKIE]) {
        headers['set-cookie'] = `${CSRF_COOKIE}=${randomBytes(24).toString('base64url')}; Path=/; SameSite=Strict`;
      }
      res.writeHead(200, headers);
      res.end(indexHtml(pluginName));
      return;
    }

    // Without monitoring the bridge registers no Prometheus or Alertmanager proxy: usePrometheusPoll's
    // `${prometheusBaseURL}/api/v1/…` (an empty base) and those proxies' paths reach its catch-all for
    // /api/, which answers 404 "not found" in plain text (openshift/console pkg/server notFoundHandler).
    if (MONITORING_PATHS.test(path)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('not found');
      return;
    }

    sendJson(res, 404, { message: `console shell: no handler for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`[console-shell] ${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { message: (err as Error).message });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that goes away mid-handshake must not become an uncaught 'error' event.
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://shell.invalid').pathname;
    // Cross-site WebSocket hijacking guard: the page that opens the socket must be the shell's.
    let originHost: string | undefined;
    try {
      originHost = new URL(req.headers.origin ?? '').host;
    } catch {
      originHost = undefined;
    }
    if (!originHost || originHost !== req.headers.host) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    const token = options.tokens[userOf(req)];
    if (path.startsWith(kubernetesPrefix)) {
      const apiServer = apiServerFor(userOf(req));
      proxyUpgrade(req, socket, head, apiServer, (req.url ?? '/').slice(kubernetesPrefix.length), token, track);
    } else if (path.startsWith(backendPrefix)) {
      proxyUpgrade(req, socket, head, backend, (req.url ?? '/').slice(backendPrefix.length), token, track);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
    }
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`[console-shell] listening on ${url} (plugin ${pluginName}, API server ${options.apiServer})`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolveStop) => {
      for (const socket of tunnels) socket.destroy();
      server.close(() => resolveStop());
      server.closeAllConnections();
      for (const target of apiServerTargets.values()) target.agent.destroy();
      backend.agent.destroy();
    }));
  return { url, pluginName, stop };
}
