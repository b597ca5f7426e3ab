// Child process of the benchmark: ONE server under test, away from the load generator's event
// loop and from the other server (each has its own process, heap, JIT and GC, and nothing the
// other left behind — garbage, a marking cycle — is paid for in its rounds).
//   baseline  — a minimal node:https server that reads the body and answers a constant AdmissionReview
//   webhook   — createWebhookServer(), the real thing
//   reference — for the API-server part: the minimal reference webhook, which parses the review
//               and answers its uid with a fixed patch (the bench creates identical pods, so the
//               same patch the webhook computes) — what any webhook making this change costs the
//               API server. (The upstream Go webhook, the other reference, is upstream.ts.)
// Baseline and webhook use the same certificate and TLS settings and answer with identical bytes,
// so their ratio measures the webhook's own work: parsing, validating, mutating and encoding.
// Reports { port } over IPC, answers 'cpu' with its CPU time so far (µs) and 'metrics' with the
// webhook's Prometheus text (the backend serves it on its health port, not the webhook's), and
// serves until the parent disconnects.

import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createWebhookServer } from '../../backend/src/webhook/server.ts';
import { secureContextOptions } from '../../backend/src/webhook/serving-certificate.ts';

export interface ServerReady {
  port: number;
}

export interface CpuTime {
  cpuMicros: number;
}

export interface MetricsText {
  metrics: string;
}

const registry = new Registry();

export interface StartMessage {
  kind: 'baseline' | 'webhook' | 'reference';
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  constantResponse: string;
  /** reference: the base64 JSON Patch it answers with */
  patch?: string;
}

async function startBaseline(message: StartMessage): Promise<{ port: number; close(): void }> {
  const constant = Buffer.from(message.constantResponse);
  const baseline = createServer(
    { ...secureContextOptions({ cert: message.certPem, key: message.keyPem }), keepAliveTimeout: 120_000 },
    (req, res) => {
      req.on('data', () => {});
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': constant.length });
        res.end(constant);
      });
    },
  );
  await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
  return {
    port: (baseline.address() as AddressInfo).port,
    close: () => {
      baseline.closeAllConnections();
      baseline.close();
    },
  };
}

async function startReference(message: StartMessage): Promise<{ port: number; close(): void }> {
  const reference = createServer(
    { ...secureContextOptions({ cert: message.certPem, key: message.keyPem }), keepAliveTimeout: 120_000 },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const uid = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string } }).request.uid;
        const body = Buffer.from(
          `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":${JSON.stringify(uid)},"allowed":true,"patchType":"JSONPatch","patch":"${message.patch}"}}`,
        );
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      });
    },
  );
  await new Promise<void>((resolve) => reference.listen(0, '127.0.0.1', resolve));
  return {
    port: (reference.address() as AddressInfo).port,
    close: () => {
      reference.closeAllConnections();
      reference.close();
    },
  };
}

async function startWebhook(message: StartMessage): Promise<{ port: number; close(): Promise<void> }> {
  const webhook = createWebhookServer({
    port: 0,
    host: '127.0.0.1',
    certFile: message.certFile,
    keyFile: message.keyFile,
    metricsRegistry: registry,
  });
  const { port } = await webhook.listen();
  return { port, close: () => webhook.close() };
}

process.once('message', async (message: StartMessage) => {
  const server =
    message.kind === 'baseline'
      ? await startBaseline(message)
      : message.kind === 'reference'
        ? await startReference(message)
        : await startWebhook(message);
  const ready: ServerReady = { port: server.port };
  process.send!(ready);
  process.on('message', (request: unknown) => {
    if (request === 'metrics') {
      void registry.metrics().then((metrics) => process.send!({ metrics } satisfies MetricsText));
      return;
    }
    if (request !== 'cpu') return;
    const usage = process.cpuUsage();
    const answer: CpuTime = { cpuMicros: usage.user + usage.system };
    process.send!(answer);
  });
  process.once('disconnect', () => {
    void Promise.resolve(server.close()).then(() => process.exit(0));
  });
});
