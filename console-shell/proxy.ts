// Reverse proxy the way the console's bridge does it: the browser never holds a bearer token;
// the proxy drops the browser's credentials (cookies, Authorization, CSRF header) and adds the
// signed-in user's token. Responses stream through unbuffered (watches, Server-Sent Events), and
// WebSocket upgrades (the console's watch transport) are tunnelled byte for byte.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

export interface ProxyTarget {
  /** Base URL the stripped request path is appended to, e.g. https://127.0.0.1:6443 or http://127.0.0.1:9001/ */
  baseUrl: URL;
  /** PEM bundle trusted for an https target (the cluster CA); default: the system store. */
  caPem?: string;
  /** TLS client identity and verification for an https target (a kubeconfig's client certificate). */
  tls?: ProxyTls;
  agent: HttpAgent;
}

export interface ProxyTls {
  /** Client certificate and key presented to the target, PEM. */
  certPem?: string;
  keyPem?: string;
  /** false only for a kubeconfig's insecure-skip-tls-verify. */
  rejectUnauthorized?: boolean;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) and the browser's own credentials never go upstream.
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'authorization',
  'x-csrftoken',
]);
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
]);

export function createProxyTarget(baseUrl: string, caPem?: string, tls?: ProxyTls): ProxyTarget {
  const url = new URL(baseUrl);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const agent =
    url.protocol === 'https:'
      ? new HttpsAgent({ keepAlive: true, ...tlsOptions({ caPem, tls }) })
      : new HttpAgent({ keepAlive: true });
  return { baseUrl: url, caPem, tls, agent };
}

function tlsOptions(target: Pick<ProxyTarget, 'caPem' | 'tls'>) {
  return {
    ca: target.caPem,
    cert: target.tls?.certPem,
    key: target.tls?.keyPem,
    rejectUnauthorized: target.tls?.rejectUnauthorized ?? true,
  };
}

/** `rest` is the path below the proxy's prefix, with its query string, without a leading slash. */
function upstreamUrl(target: ProxyTarget, rest: string): URL {
  return new URL(rest.replace(/^\/+/, ''), target.baseUrl);
}

function forwardedHeaders(headers: IncomingHttpHeaders, token: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue;
    out[name] = value;
  }
  if (token) out.authorization = `Bearer ${token}`;
  return out;
}

function send(target: ProxyTarget) {
  return target.baseUrl.protocol === 'https:' ? httpsRequest : httpRequest;
}

/** Forwards one HTTP request and streams the answer back. */
export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  rest: string,
  token: string | undefined,
): void {
  const url = upstreamUrl(target, rest);
  const upstream = send(target)(url, {
    method: req.method,
    headers: forwardedHeaders(req.headers, token),
    agent: target.agent,
  });
  upstream.on('response', (answer) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) headers[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
    // Long-lived responses (watch, SSE) must reach the browser chunk by chunk.
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `console shell proxy: ${url.origin} did not answer (${err.message})` }));
  });
  // The browser went away (page closed, watch cancelled): end the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.on('error', () => upstream.destroy());
  res.on('error', () => upstream.destroy());
  req.pipe(upstream);
}

/** Tunnels a WebSocket upgrade; a refused upgrade (e.g. 403) is relayed as a plain HTTP answer. */
export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: ProxyTarget,
  rest: string,
  token: string | undefined,
  track: (s: Duplex) => void,
): void {
  const url = upstreamUrl(target, rest);
  const headers = forwardedHeaders(req.headers, token);
  headers.connection = 'Upgrade';
  if (req.headers.upgrade) headers.upgrade = req.headers.upgrade;
  // An agent would pool the socket; a tunnel owns its connection.
  const upstream = send(target)(url, { method: req.method, headers, ...tlsOptions(target), agent: false });
  socket.on('error', () => upstream.destroy());
  upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 101} ${answer.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i]!;
      if (name.toLowerCase() === 'set-cookie') continue;
      lines.push(`${name}: ${answer.rawHeaders[i + 1]}`);
    }
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    track(socket);
    track(upstreamSocket);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
    upstreamSocket.on('close', () => socket.destroy());
    socket.on('close', () => upstreamSocket.destroy());
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
  });
  upstream.on('response', (answer) => {
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i]!.toLowerCase();
      if (DROPPED_RESPONSE_HEADERS.has(name) || name === 'content-length') continue;
      lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    }
    lines.push('connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    answer.pipe(socket);
  });
  upstream.on('error', (err) => {
    socket.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${err.message}`);
  });
  upstream.end();
}
