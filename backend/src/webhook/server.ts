// The webhook's HTTPS server: a lean node:https handler (no framework — it sits on the critical
// path of every pod creation; see STYLE.md's measurements) around reviewAdmission().
//   POST /mutate-v1-pod  AdmissionReview v1 in, AdmissionReview v1 out (or 400/413 for bad input)
//   GET  /healthz        liveness
// Nothing else: this port admits any source (the API server calls it from wherever it runs), so
// the webhook's metrics, recorded in the registry it is given, are served on the health port.
// Configuration arrives as a typed object; nothing here reads the environment.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_EXTENDED_RESOURCE, DEFAULT_TARGET_RUNTIME_CLASS } from './mutate.ts';
import { webhookMetrics } from './metrics.ts';
import { MUTATE_PATH, NamespaceMatcher, reviewAdmission, type AdmissionOutcome, type ReviewOptions } from './review.ts';

export { MUTATE_PATH };
import type { TlsSettings } from '../server/tls-profile.ts';
import { CertificateWatcher, loadCertificatePairSync, secureContextOptions } from './serving-certificate.ts';

export const DEFAULT_WEBHOOK_PORT = 9443;
/** SPEC: kube-system, kube-node-lease and the openshift-* system namespaces. */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system', 'kube-node-lease', 'openshift-*'];
/** An AdmissionReview for CREATE carries one Pod; etcd caps objects at 1.5 MiB and requests at 3 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Matches the configuration's timeoutSeconds: the API server gives up by then anyway. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CERT_RELOAD_INTERVAL_MS = 10_000;

export interface WebhookServerOptions {
  /** TCP port; 0 picks a free one (see address()) */
  port: number;
  /** listen address; default 0.0.0.0 */
  host?: string;
  /** PEM serving certificate (chain) and its key; re-read when they change on disk */
  certFile: string;
  keyFile: string;
  /** default kata-remote */
  targetRuntimeClass?: string;
  /** default kata.peerpods.io/vm */
  extendedResource?: string;
  /** namespace names, or `prefix*` patterns, whose pods are never mutated */
  excludedNamespaces?: readonly string[];
  maxBodyBytes?: number;
  /** time allowed to receive a whole request */
  requestTimeoutMs?: number;
  /** how often the certificate files are re-read even without a change event */
  certReloadIntervalMs?: number;
  logger?: Logger;
  /** where the webhook's metrics are registered (served by the backend's health port); default a private registry */
  metricsRegistry?: Registry;
  /** TLS versions and ciphers: the cluster's tlsSecurityProfile; default TLS 1.2 or newer */
  tls?: TlsSettings;
}

export interface WebhookAddress {
  host: string;
  port: number;
  /** e.g. https://127.0.0.1:9443 */
  url: string;
}

export interface WebhookServer {
  listen(): Promise<WebhookAddress>;
  close(): Promise<void>;
  /** where the server listens; throws before listen() resolved */
  address(): WebhookAddress;
  /** re-reads the certificate files now instead of at the next change event or check */
  reloadCertificate(): Promise<void>;
}

const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;

/** Logs at most one warning per interval and counts the ones it held back. */
function rateLimitedWarn(logger: Logger, intervalMs: number): (fields: object, message: string) => void {
  let last = 0;
  let suppressed = 0;
  return (fields, message) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      suppressed++;
      return;
    }
    logger.warn({ ...fields, suppressedSinceLast: suppressed }, message);
    last = now;
    suppressed = 0;
  };
}

export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const registry = options.metricsRegistry ?? new Registry();
  const metrics = webhookMetrics(registry);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const host = options.host ?? '0.0.0.0';
  const reviewOptions: ReviewOptions = {
    targetRuntimeClass: options.targetRuntimeClass ?? DEFAULT_TARGET_RUNTIME_CLASS,
    extendedResource: options.extendedResource ?? DEFAULT_EXTENDED_RESOURCE,
    excludedNamespaces: new NamespaceMatcher(options.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES),
  };
  const warnBadRequest = rateLimitedWarn(logger, 10_000);

  const pair = loadCertificatePairSync(options.certFile, options.keyFile);
  const server: Server = createServer(
    {
      ...secureContextOptions(pair, options.tls),
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
      // Longer than the API server's idle-connection reuse, so it never sends on a socket we are closing.
      keepAliveTimeout: 120_000,
    },
    (req, res) => route(req, res),
  );
  // Connections opened before a certificate reload are closed after their next answer
  // (Connection: close), so clients move to the new certificate without a race. Closing them
  // while idle instead can cross a request the client is already sending on one — the API server
  // then reports a failed webhook call, and with failurePolicy Fail the pod is refused.
  let certificateGeneration = 0;
  const connectionGeneration = new WeakMap<object, number>();
  server.on('secureConnection', (socket) => connectionGeneration.set(socket, certificateGeneration));
  server.on('tlsClientError', (error, socket) => {
    logger.debug({ err: error.message }, 'TLS handshake failed');
    socket.destroy();
  });

  const watcher = new CertificateWatcher({
    certFile: options.certFile,
    keyFile: options.keyFile,
    current: pair,
    intervalMs: options.certReloadIntervalMs ?? DEFAULT_CERT_RELOAD_INTERVAL_MS,
    onChange: (next) => {
      server.setSecureContext(secureContextOptions(next, options.tls));
      certificateGeneration += 1;
      metrics.certificateReloads.labels('loaded').inc();
      logger.info({ certFile: options.certFile }, 'serving certificate reloaded');
    },
    onError: (error) => {
      metrics.certificateReloads.labels('failed').inc();
      logger.warn({ err: error.message }, 'serving certificate not reloaded; the previous one stays in use');
    },
  });

  function finish(
    res: ServerResponse,
    started: number,
    outcome: AdmissionOutcome,
    status: number,
    contentType: string,
    body: string,
    closeConnection = false,
  ): void {
    // A flat header list skips Node's per-key header object walk; a string body goes out in one
    // write with the header block instead of a second buffer, copied as is when it is ASCII
    // (as many bytes as characters) instead of encoded.
    const length = Buffer.byteLength(body);
    const headers = ['Content-Type', contentType, 'Content-Length', String(length)];
    if (closeConnection || connectionGeneration.get(res.socket!) !== certificateGeneration) {
      headers.push('Connection', 'close');
    }
    res.writeHead(status, headers);
    res.end(body, length === body.length ? 'latin1' : 'utf8');
    metrics.recordAdmission(outcome, (performance.now() - started) / 1000);
  }

  function reject(
    res: ServerResponse,
    started: number,
    status: number,
    message: string,
    closeConnection = false,
  ): void {
    warnBadRequest({ status, reason: message }, 'admission request refused as malformed');
    finish(res, started, 'bad-request', status, 'text/plain; charset=utf-8', `${message}\n`, closeConnection);
  }

  function route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    // The API server appends ?timeout=10s to the configured path.
    const path = query === -1 ? url : url.slice(0, query);
    if (path === MUTATE_PATH) return mutate(req, res);
    req.resume();
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 3 });
      res.end('ok\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`no such path; the webhook listens on POST ${MUTATE_PATH}\n`);
  }

  function mutate(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    req.on('error', () => {
      // A client that hangs up mid-body: nothing to answer.
    });
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return reject(res, started, 405, `${MUTATE_PATH} accepts POST only, got ${req.method}`, true);
    }
    const contentType = req.headers['content-type'];
    if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
      return reject(res, started, 400, `Content-Type must be application/json, got ${contentType ?? 'none'}`, true);
    }
    const declaredLength = req.headers['content-length'];
    if (declaredLength !== undefined && Number(declaredLength) > maxBodyBytes) {
      return reject(res, started, 413, `the body is ${declaredLength} bytes; the limit is ${maxBodyBytes}`, true);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > maxBodyBytes) {
        refused = true;
        chunks.length = 0;
        reject(res, started, 413, `the body exceeds the limit of ${maxBodyBytes} bytes`, true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      let result;
      try {
        result = reviewAdmission(body, reviewOptions);
      } catch (error) {
        // reviewAdmission is total by design; reaching here is a bug, reported as one.
        logger.error({ err: (error as Error).message }, 'admission review failed unexpectedly');
        finish(
          res,
          started,
          'bad-request',
          500,
          'text/plain; charset=utf-8',
          'internal error while reviewing the pod\n',
        );
        return;
      }
      if (result.httpStatus === 400) return reject(res, started, 400, result.message);
      finish(res, started, result.outcome, 200, 'application/json', result.body);
      if (result.outcome === 'rejected') {
        logger.info(
          { uid: result.uid, namespace: result.namespace, pod: result.podName, reason: result.message },
          'peer pod refused',
        );
      } else if (logger.isLevelEnabled('debug')) {
        logger.debug(
          {
            uid: result.uid,
            namespace: result.namespace,
            pod: result.podName,
            outcome: result.outcome,
            sizing: result.sizing && {
              vcpus: Number(result.sizing.vcpus),
              memoryMiB: Number(result.sizing.memoryMiB),
              gpus: Number(result.sizing.gpus),
            },
          },
          'admission reviewed',
        );
      }
    });
  }

  let listening: WebhookAddress | undefined;
  return {
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) =>
          reject(new Error(`the webhook cannot listen on ${host}:${options.port}: ${error.code ?? error.message}`));
        server.once('error', onError);
        server.listen(options.port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          listening = { host: address.address, port: address.port, url: `https://${urlHost}:${address.port}` };
          watcher.start();
          logger.info({ address: listening.url, path: MUTATE_PATH }, 'peer-pods webhook listening');
          resolve(listening);
        });
      });
    },
    close() {
      watcher.stop();
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        const force = setTimeout(() => server.closeAllConnections(), 2_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
    address() {
      if (!listening) throw new Error('the webhook server is not listening yet');
      return listening;
    },
    reloadCertificate: () => watcher.check(),
  };
}
