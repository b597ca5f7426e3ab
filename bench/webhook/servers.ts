// Child process of the benchmark: the two servers under test, away from the load generator's
// event loop (a server sharing autocannon's thread would measure the two fighting over it).
//   baseline — a minimal node:https server that reads the body and answers a constant AdmissionReview
//   webhook  — createWebhookServer(), the real thing
// Both use the same certificate and TLS settings and answer with identical bytes, so the ratio
// measures the webhook's own work: parsing, validating, mutating and encoding.
// Reports { baselinePort, webhookPort } over IPC, answers 'cpu' with its CPU time so far (µs), and
// serves until the parent disconnects.

import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createWebhookServer } from '../../backend/src/webhook/server.ts';
import { secureContextOptions } from '../../backend/src/webhook/serving-certificate.ts';

export interface ServersReady {
  baselinePort: number;
  webhookPort: number;
}

export interface CpuTime {
  cpuMicros: number;
}

interface StartMessage {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
  constantResponse: string;
}

process.once('message', async (message: StartMessage) => {
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

  const webhook = createWebhookServer({
    port: 0,
    host: '127.0.0.1',
    certFile: message.certFile,
    keyFile: message.keyFile,
  });
  const { port: webhookPort } = await webhook.listen();

  const ready: ServersReady = { baselinePort: (baseline.address() as AddressInfo).port, webhookPort };
  process.send!(ready);
  process.on('message', (request: unknown) => {
    if (request !== 'cpu') return;
    const usage = process.cpuUsage();
    const answer: CpuTime = { cpuMicros: usage.user + usage.system };
    process.send!(answer);
  });
  process.once('disconnect', () => {
    baseline.closeAllConnections();
    baseline.close();
    void webhook.close().then(() => process.exit(0));
  });
});
