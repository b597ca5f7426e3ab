// A small raw-JSON Kubernetes REST client (requests and watch streams) over one keep-alive
// HTTPS agent.
//
// Why not the generated typed APIs for the hot paths: @kubernetes/client-node 2.x builds a new
// undici Agent for every typed call (a new TLS connection per request) and deserialises into
// model classes (Date objects, copies). The reconciler writes up to one patch per node in a
// burst, and the informers page through thousands of pods, so they go through this client:
// authentication and TLS still come from client-node's KubeConfig (applyToHTTPSOptions), bodies
// stay plain JSON, connections are reused. So that the backend reads Kubernetes one way, every
// other call of the backend (access reviews, cloud settings, setup checks) goes through it too.
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { SecretValue } from '../secret-value.ts';

export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path, e.g. /api/v1/nodes/worker-0/status */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Content-Type of the body; default application/json. */
  contentType?: string;
  /** Whole-request timeout; default the client's requestTimeoutMs. */
  timeoutMs?: number;
  /** 'text' resolves with the body as a string (e.g. /metrics); 'none' drops it unread; default 'json'. */
  responseType?: 'json' | 'text' | 'none';
}

/** A non-2xx answer of the API server (or a transport failure, with code 0). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  /** HTTP status; 0 when no answer arrived (connection refused, timeout, reset). */
  readonly code: number;
  /** metav1.Status reason, e.g. Conflict, NotFound, Expired; '' when absent. */
  readonly reason: string;
  readonly method: string;
  readonly path: string;
  /** The API server's own message (metav1.Status message), without method and path: what a user may be shown. */
  readonly detail: string;

  constructor(code: number, reason: string, message: string, method: string, path: string, detail = message) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.method = method;
    this.path = path;
    this.detail = detail;
  }
}

/**
 * A signed-in user's bearer token, held so that it cannot end up in a log line or a response by
 * accident: printing, inspecting or serialising it gives "[redacted]".
 */
export class BearerToken extends SecretValue {}

/** What sends requests: the backend's own client, or the same client with a user's token. */
export interface KubeRequester {
  request<T = unknown>(req: KubeRequest): Promise<T>;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.code === 409 && err.reason === 'AlreadyExists';
}

/** 410 Gone: a list continue token or a watch resourceVersion that etcd has compacted away. */
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && (err.code === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

export interface WatchHandle {
  /** Ends the watch; onDone is not called after this. */
  abort(): void;
}

export interface KubeClientOptions {
  /** Parallel connections to the API server; default 32. */
  maxSockets?: number;
  /** Default per-request timeout; default 30 s. */
  requestTimeoutMs?: number;
  userAgent?: string;
}

export class KubeClient {
  private readonly kubeConfig: KubeConfig;
  private readonly server: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  /** Connections for requests made with a user's token: the server's CA, never the backend's client certificate. */
  private readonly userAgentPool: HttpAgent | HttpsAgent;
  private readonly tls: Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
  private readonly requestTimeoutMs: number;
  private readonly userAgent: string;

  private constructor(kubeConfig: KubeConfig, server: URL, tls: KubeClient['tls'], options: KubeClientOptions) {
    this.kubeConfig = kubeConfig;
    this.server = server;
    this.tls = tls;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'peer-pods-console';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32, ...tls };
    this.agent = server.protocol === 'http:' ? new HttpAgent(agentOptions) : new HttpsAgent(agentOptions);
    const { cert: _cert, key: _key, ...serverTrust } = tls;
    const userOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32, ...serverTrust };
    this.userAgentPool = server.protocol === 'http:' ? new HttpAgent(userOptions) : new HttpsAgent(userOptions);
  }

  static async create(kubeConfig: KubeConfig, options: KubeClientOptions = {}): Promise<KubeClient> {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster: set a current-context that names one');
    const opts: RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(opts);
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    return new KubeClient(kubeConfig, new URL(cluster.server), tls, options);
  }

  private url(path: string, query: Record<string, QueryValue> = {}): URL {
    const url = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async headers(accept: string): Promise<{ headers: Record<string, string>; auth: RequestOptions }> {
    const auth = await this.authentication();
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': this.userAgent };
    for (const [key, value] of Object.entries(auth.headers ?? {})) {
      if (value !== undefined) headers[key] = String(value);
    }
    return { headers, auth };
  }

  /** Sends one request; resolves with the parsed JSON body, rejects with KubeApiError. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const { headers, auth } = await this.headers(req.responseType === 'text' ? '*/*' : 'application/json');
    return this.sendRequest<T>(req, headers, { agent: this.agent, auth: auth.auth, tls: this.tls, own: true });
  }

  /**
   * Requests made as a signed-in user, with that user's own bearer token and nothing of the
   * backend's credentials (no client certificate, no impersonation): the API server authenticates
   * and authorizes the user, so RBAC stays its decision. A 401 or 403 is the user's, not ours.
   */
  asUser(token: BearerToken): KubeRequester {
    return {
      request: <T = unknown>(req: KubeRequest): Promise<T> => {
        const headers: Record<string, string> = {
          Accept: req.responseType === 'text' ? '*/*' : 'application/json',
          'User-Agent': this.userAgent,
          Authorization: `Bearer ${token.reveal()}`,
        };
        const { cert: _cert, key: _key, ...serverTrust } = this.tls;
        return this.sendRequest<T>(req, headers, { agent: this.userAgentPool, tls: serverTrust, own: false });
      },
    };
  }

  private sendRequest<T>(
    req: KubeRequest,
    headers: Record<string, string>,
    via: { agent: HttpAgent | HttpsAgent; auth?: string | null; tls: Partial<KubeClient['tls']>; own: boolean },
  ): Promise<T> {
    const url = this.url(req.path, req.query);
    let payload: Buffer | undefined;
    if (req.body !== undefined) {
      payload = Buffer.from(JSON.stringify(req.body));
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const timeoutMs = req.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const fail = (code: number, reason: string, message: string, detail?: string) =>
        reject(new KubeApiError(code, reason, message, req.method, req.path, detail));
      const outgoing = send(
        url,
        { method: req.method, headers, agent: via.agent, auth: via.auth, ...via.tls },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          const keep = req.responseType !== 'none' || (res.statusCode ?? 0) >= 300;
          res.on('data', (chunk: Buffer) => keep && chunks.push(chunk));
          res.on('error', (err) => fail(0, 'TransportError', `${req.method} ${req.path}: ${err.message}`));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              const wanted = (req.responseType ?? 'json') === 'json' || (res.statusCode ?? 0) >= 300;
              body = text && wanted ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            const status = res.statusCode ?? 0;
            if (status === 401 && via.own) this.authCache = undefined;
            if (status >= 200 && status < 300) {
              resolve((req.responseType === 'text' ? text : body) as T);
              return;
            }
            const reason =
              typeof (body as { reason?: unknown })?.reason === 'string' ? (body as { reason: string }).reason : '';
            const detail =
              typeof (body as { message?: unknown })?.message === 'string'
                ? (body as { message: string }).message
                : text.slice(0, 200) || res.statusMessage || 'no body';
            fail(status, reason, `${req.method} ${req.path}: ${status} ${detail}`, detail);
          });
        },
      );
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', (err) => fail(0, 'TransportError', `${req.method} ${req.path}: ${err.message}`));
      outgoing.end(payload);
    });
  }

  /**
   * Opens a watch: the API server streams one JSON event per line. `onEvent` gets each parsed
   * line; `onDone` is called once, with null when the server ended the stream (its
   * timeoutSeconds), a KubeApiError for a non-200 answer (410 Gone included), or an Error named
   * TimeoutError when nothing, not even a bookmark, arrived for `inactivityTimeoutMs`.
   */
  async watch(
    req: { path: string; query?: Record<string, QueryValue>; inactivityTimeoutMs?: number },
    onEvent: (event: unknown) => void,
    onDone: (err: Error | null) => void,
  ): Promise<WatchHandle> {
    const url = this.url(req.path, { ...req.query, watch: true });
    const { headers, auth } = await this.headers('application/json');
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    let finished = false;
    const finish = (err: Error | null) => {
      if (finished) return;
      finished = true;
      onDone(err);
    };
    const outgoing = send(url, { method: 'GET', headers, agent: this.agent, auth: auth.auth, ...this.tls }, (res) => {
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let status: { reason?: string; message?: string } = {};
          try {
            status = JSON.parse(text) as typeof status;
          } catch {
            /* not a Status */
          }
          if (res.statusCode === 401) this.authCache = undefined;
          const detail = status.message ?? (text.slice(0, 200) || res.statusMessage || 'no body');
          finish(
            new KubeApiError(
              res.statusCode ?? 0,
              status.reason ?? '',
              `watch ${req.path}: ${res.statusCode} ${detail}`,
              'GET',
              req.path,
            ),
          );
        });
        return;
      }
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (!line.trim()) continue;
          let event: unknown;
          try {
            event = JSON.parse(line);
          } catch {
            continue; // a torn line cannot be trusted; the resourceVersion bookkeeping recovers
          }
          if (!finished) onEvent(event);
        }
      });
      res.on('end', () => finish(null));
      res.on('error', (err) => finish(err));
      res.on('close', () => finish(null));
    });
    const inactivity = req.inactivityTimeoutMs ?? 90_000;
    outgoing.setTimeout(inactivity, () => {
      const err = new Error(`watch ${req.path}: nothing received for ${inactivity} ms`);
      err.name = 'TimeoutError';
      finish(err);
      outgoing.destroy();
    });
    outgoing.on('error', (err) => finish(err));
    outgoing.end();
    return {
      abort: () => {
        finished = true;
        outgoing.destroy();
      },
    };
  }

  private authCache: { options: RequestOptions; until: number } | undefined;

  /**
   * Credentials from the KubeConfig, refreshed every few seconds (and after a 401) so that
   * rotating credentials (token files, exec plugins) stay current without re-reading them on
   * every request of a burst.
   */
  private async authentication(): Promise<RequestOptions> {
    const now = Date.now();
    if (this.authCache && this.authCache.until > now) return this.authCache.options;
    const options: RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    this.authCache = { options, until: now + 10_000 };
    return options;
  }

  /** Closes idle keep-alive connections; in-flight requests finish. */
  close(): void {
    this.agent.destroy();
    this.userAgentPool.destroy();
  }
}

/** RFC 3339 with exactly six fractional digits: what metav1.MicroTime requires (Lease times). */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** RFC 3339 to the second: what metav1.Time carries (Event timestamps). */
export function metaTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
