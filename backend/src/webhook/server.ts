// The webhook's HTTPS server: a lean node:https handler (no framework — it sits on the critical
// path of every pod creation; see STYLE.md's measurements) around reviewAdmission().
//   POST /mutate-v1-pod  AdmissionReview v1 in, AdmissionReview v1 out (or 400/413 for bad input)
//   GET  /healthz        liveness
// Nothing else: this port admits any source (the API server calls it from wherever it runs), so
// the webhook's metrics, recorded in the registry it is given, are served on the health port.
// Configuration arrives as a typed object; nothing here reads the environment.

import { createServer, type Server, type ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_EXTENDED_RESOURCE, DEFAULT_TARGET_RUNTIME_CLASS } from './mutate.ts';
import { webhookMetrics, type WebhookMetrics } from './metrics.ts';
import {
  MUTATE_PATH,
  NamespaceMatcher,
  reviewAdmission,
  type AdmissionOutcome,
  type ReviewOptions,
  type ReviewResult,
} from './review.ts';
import type { TlsSettings } from '../server/tls-profile.ts';
import {
  CertificateWatcher,
  loadCertificatePairSync,
  secureContextOptions,
  type CertificatePair,
} from './serving-certificate.ts';

export { MUTATE_PATH };

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
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';

export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics = webhookMetrics(options.metricsRegistry ?? new Registry());
  const host = options.host ?? '0.0.0.0';
  const certificate = loadCertificatePairSync(options.certFile, options.keyFile);
  const server = createServer(serverSettings(certificate, options));
  const rotation = rotateCertificate(server, certificate, options, metrics, logger);
  const handling: Handling = {
    logger,
    metrics,
    reviewOptions: {
      targetRuntimeClass: options.targetRuntimeClass ?? DEFAULT_TARGET_RUNTIME_CLASS,
      extendedResource: options.extendedResource ?? DEFAULT_EXTENDED_RESOURCE,
      excludedNamespaces: new NamespaceMatcher(options.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES),
    },
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    warnBadRequest: rateLimitedWarn(logger, 10_000),
    predatesCertificate: rotation.predatesCertificate,
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => route(handling, req, res));

  let listening: WebhookAddress | undefined;
  return {
    async listen() {
      listening = await listen(server, options.port, host);
      rotation.watcher.start();
      logger.info({ address: listening.url, path: MUTATE_PATH }, 'peer-pods webhook listening');
      return listening;
    },
    close() {
      rotation.watcher.stop();
      return closeServer(server);
    },
    address() {
      if (!listening) throw new Error('the webhook server is not listening yet');
      return listening;
    },
    reloadCertificate: () => rotation.watcher.check(),
  };
}

// ---- TLS and connections

function serverSettings(certificate: CertificatePair, options: WebhookServerOptions): ServerOptions {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    ...secureContextOptions(certificate, options.tls),
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs),
    // Longer than the API server's idle-connection reuse, so it never sends on a socket we are closing.
    keepAliveTimeout: 120_000,
  };
}

/**
 * Swaps in the certificate files' new pair when they change on disk. Connections opened before a
 * reload are closed after their next answer (Connection: close), so clients move to the new
 * certificate without a race. Closing them while idle instead can cross a request the client is
 * already sending on one — the API server then reports a failed webhook call, and with
 * failurePolicy Fail the pod is refused.
 */
function rotateCertificate(
  server: Server,
  current: CertificatePair,
  options: WebhookServerOptions,
  metrics: WebhookMetrics,
  logger: Logger,
): { watcher: CertificateWatcher; predatesCertificate(socket: Socket): boolean } {
  let certificateGeneration = 0;
  const connectionGeneration = new WeakMap<Socket, number>();
  server.on('secureConnection', (socket: Socket) => connectionGeneration.set(socket, certificateGeneration));
  server.on('tlsClientError', (error: Error, socket: Socket) => {
    logger.debug({ err: error.message }, 'TLS handshake failed');
    socket.destroy();
  });
  const watcher = new CertificateWatcher({
    certFile: options.certFile,
    keyFile: options.keyFile,
    current,
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
  return {
    watcher,
    predatesCertificate: (socket) => connectionGeneration.get(socket) !== certificateGeneration,
  };
}

function listen(server: Server, port: number, host: string): Promise<WebhookAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(new Error(`the webhook cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ host: address.address, port: address.port, url: `https://${urlHost}:${address.port}` });
    });
  });
}

/** Stops accepting, closes idle connections now and the others after at most 2 s. */
function closeServer(server: Server): Promise<void> {
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
}

// ---- Requests

/** What answering a request needs, resolved once from the options. */
interface Handling {
  logger: Logger;
  metrics: WebhookMetrics;
  reviewOptions: ReviewOptions;
  maxBodyBytes: number;
  warnBadRequest: (fields: object, message: string) => void;
  /** the connection was opened before the certificate now served */
  predatesCertificate(socket: Socket): boolean;
}

interface Answer {
  status: number;
  outcome: AdmissionOutcome;
  contentType: string;
  body: string;
  /** ask the client to open a new connection for its next request */
  closeConnection?: boolean;
}

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

function route(handling: Handling, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  // The API server appends ?timeout=10s to the configured path.
  const path = query === -1 ? url : url.slice(0, query);
  if (path === MUTATE_PATH) return handleAdmission(handling, req, res);
  req.resume();
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'Content-Type': TEXT, 'Content-Length': 3 });
    res.end('ok\n');
    return;
  }
  res.writeHead(404, { 'Content-Type': TEXT });
  res.end(`no such path; the webhook listens on POST ${MUTATE_PATH}\n`);
}

function handleAdmission(handling: Handling, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  req.on('error', () => {
    // A client that hangs up mid-body: nothing to answer.
  });
  const refusal = refusalBeforeBody(req, handling.maxBodyBytes);
  if (refusal !== undefined) {
    if (refusal.status === 405) res.setHeader('Allow', 'POST');
    return refuseMalformed(handling, res, started, refusal.status, refusal.message, true);
  }
  readBody(
    req,
    handling.maxBodyBytes,
    (body) => answerAdmission(handling, res, started, body),
    () => {
      const message = `the body exceeds the limit of ${handling.maxBodyBytes} bytes`;
      refuseMalformed(handling, res, started, 413, message, true);
    },
  );
}

/** What is wrong with the request before its body is read: method, content type, declared size. */
function refusalBeforeBody(
  req: IncomingMessage,
  maxBodyBytes: number,
): { status: number; message: string } | undefined {
  if (req.method !== 'POST') return { status: 405, message: `${MUTATE_PATH} accepts POST only, got ${req.method}` };
  const contentType = req.headers['content-type'];
  if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
    return { status: 400, message: `Content-Type must be application/json, got ${contentType ?? 'none'}` };
  }
  const declaredLength = req.headers['content-length'];
  if (declaredLength !== undefined && Number(declaredLength) > maxBodyBytes) {
    return { status: 413, message: `the body is ${declaredLength} bytes; the limit is ${maxBodyBytes}` };
  }
  return undefined;
}

/** Collects the request body; past maxBytes drops what arrived and calls onTooLarge, once, instead. */
function readBody(
  req: IncomingMessage,
  maxBytes: number,
  onBody: (body: Buffer) => void,
  onTooLarge: () => void,
): void {
  const chunks: Buffer[] = [];
  let received = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    if (tooLarge) return;
    received += chunk.length;
    if (received > maxBytes) {
      tooLarge = true;
      chunks.length = 0;
      onTooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!tooLarge) onBody(Buffer.concat(chunks, received));
  });
}

function answerAdmission(handling: Handling, res: ServerResponse, started: number, body: Buffer): void {
  let result: ReviewResult;
  try {
    result = reviewAdmission(body, handling.reviewOptions);
  } catch (error) {
    // reviewAdmission is total by design; reaching here is a bug, reported as one.
    handling.logger.error({ err: (error as Error).message }, 'admission review failed unexpectedly');
    const internal = 'internal error while reviewing the pod\n';
    return send(handling, res, started, { status: 500, outcome: 'bad-request', contentType: TEXT, body: internal });
  }
  if (result.httpStatus === 400) return refuseMalformed(handling, res, started, 400, result.message);
  send(handling, res, started, { status: 200, outcome: result.outcome, contentType: JSON_TYPE, body: result.body });
  logAdmission(handling.logger, result);
}

function refuseMalformed(
  handling: Handling,
  res: ServerResponse,
  started: number,
  status: number,
  message: string,
  closeConnection = false,
): void {
  handling.warnBadRequest({ status, reason: message }, 'admission request refused as malformed');
  send(handling, res, started, {
    status,
    outcome: 'bad-request',
    contentType: TEXT,
    body: `${message}\n`,
    closeConnection,
  });
}

/** Writes the answer in one go and records the admission's outcome and duration. */
function send(handling: Handling, res: ServerResponse, started: number, answer: Answer): void {
  const headers = ['Content-Type', answer.contentType, 'Content-Length', String(Buffer.byteLength(answer.body))];
  if (answer.closeConnection || handling.predatesCertificate(res.socket!)) headers.push('Connection', 'close');
  res.writeHead(answer.status, headers);
  res.end(answer.body);
  handling.metrics.recordAdmission(answer.outcome, (performance.now() - started) / 1000);
}

/** A refused pod at info; the other answers at debug only (one per pod creation). */
function logAdmission(logger: Logger, result: Extract<ReviewResult, { httpStatus: 200 }>): void {
  if (result.outcome === 'rejected') {
    logger.info(
      { uid: result.uid, namespace: result.namespace, pod: result.podName, reason: result.message },
      'peer pod refused',
    );
    return;
  }
  if (!logger.isLevelEnabled('debug')) return;
  const sizing = result.sizing && {
    vcpus: Number(result.sizing.vcpus),
    memoryMiB: Number(result.sizing.memoryMiB),
    gpus: Number(result.sizing.gpus),
  };
  logger.debug(
    { uid: result.uid, namespace: result.namespace, pod: result.podName, outcome: result.outcome, sizing },
    'admission reviewed',
  );
}
