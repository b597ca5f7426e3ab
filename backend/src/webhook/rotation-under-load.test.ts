// Regression (found by bench/reliability/faults.ts, certificate-rotated-under-load): on every
// certificate reload the server closed its idle keep-alive connections, which races with a client
// that is just sending its next request on one; the API server saw "broken pipe" / "server closed
// idle connection", and with failurePolicy Fail refused the pod (18 of 6,549 creates during 7
// rotations). Now a connection from before the reload answers once more with Connection: close.
import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'node:https';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionReview, peerPodWithSidecars, startTestWebhook, type TestWebhook } from './test/fixtures.ts';

let webhook: TestWebhook;

beforeAll(async () => {
  webhook = await startTestWebhook();
});
afterAll(() => webhook.stop());

function servedCommonName(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: webhook.address.port, ca: webhook.files.ca.certPem }, () => {
      const cert = new X509Certificate(socket.getPeerCertificate(true).raw);
      socket.destroy();
      resolve(/CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? '');
    });
    socket.on('error', reject);
  });
}

describe('certificate rotation under load', () => {
  it('fails no request on keep-alive connections while the certificate is replaced, and moves them to the new one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8, ca: webhook.files.ca.certPem });
    const body = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'rotation' }));
    const counts = { ok: 0, failed: 0, closedAfterAnswer: 0 };
    const errors: string[] = [];
    let running = true;
    const send = () =>
      new Promise<void>((resolve) => {
        const req = request(
          `${webhook.address.url}/mutate-v1-pod`,
          { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (res.statusCode === 200) counts.ok++;
              else counts.failed++;
              if (res.headers.connection === 'close') counts.closedAfterAnswer++;
              resolve();
            });
          },
        );
        req.on('error', (error) => {
          counts.failed++;
          if (errors.length < 5) errors.push(error.message);
          resolve();
        });
        req.end(body);
      });
    const clients = Array.from({ length: 8 }, async () => {
      while (running) await send();
    });
    for (let rotation = 1; rotation <= 8; rotation++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await webhook.files.rotate(`peer-pods-webhook-rotation-${rotation}`);
      await webhook.server.reloadCertificate();
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    running = false;
    await Promise.all(clients);
    agent.destroy();

    expect(errors).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.closedAfterAnswer).toBeGreaterThan(0);
    expect(await servedCommonName()).toBe('peer-pods-webhook-rotation-8');
  });
});
