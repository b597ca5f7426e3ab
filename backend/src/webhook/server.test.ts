import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect, type PeerCertificate } from 'node:tls';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority, issueCertificate } from '../../../hack/pki.ts';
import { MEMORY_ANNOTATION, VCPUS_ANNOTATION } from './mutate.ts';
import { createWebhookServer } from './server.ts';
import {
  admissionReview,
  peerPodWithSidecars,
  readResponse,
  send,
  startTestWebhook,
  type TestWebhook,
} from './test/fixtures.ts';

const validBody = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'uid-valid' }));

/** Polls until `probe` holds; the deadline only bounds a broken run, it asserts nothing about speed. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 15_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function handshake(
  webhook: TestWebhook,
  tlsOptions: {
    minVersion?: 'TLSv1' | 'TLSv1.2';
    maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    ciphers?: string;
  } = {},
): Promise<{ certificate: PeerCertificate; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: webhook.address.port,
      ca: webhook.files.ca.certPem,
      servername: 'localhost',
      ...tlsOptions,
    });
    socket.once('secureConnect', () => {
      const result = { certificate: socket.getPeerCertificate(), protocol: socket.getProtocol() };
      socket.end();
      resolve(result);
    });
    socket.once('error', reject);
  });
}

/** Sends raw bytes over TLS and collects whatever comes back until the server closes. */
function rawExchange(webhook: TestWebhook, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port: webhook.address.port,
      ca: webhook.files.ca.certPem,
      servername: 'localhost',
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    socket.once('secureConnect', () => socket.write(bytes));
  });
}

describe('webhook server over HTTPS', () => {
  let webhook: TestWebhook;
  const registry = new Registry();
  const infoLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        infoLines.push(chunk.toString('utf8'));
        done();
      },
    });
    webhook = await startTestWebhook({
      metricsRegistry: registry,
      logger: pino({ level: 'info' }, sink),
      requestTimeoutMs: 1_000,
      maxBodyBytes: 64 * 1024,
    });
  });

  afterAll(async () => {
    await webhook?.stop();
  });

  it('answers POST /mutate-v1-pod with an AdmissionReview carrying the uid and a JSONPatch', async () => {
    const answer = await send(webhook, '/mutate-v1-pod', validBody);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    const { response, patch } = readResponse(answer);
    expect(response).toMatchObject({ uid: 'uid-valid', allowed: true, patchType: 'JSONPatch' });
    expect(patch).toContainEqual({ op: 'add', path: `/metadata/annotations/${VCPUS_ANNOTATION}`, value: '2' });
    expect(patch).toContainEqual({ op: 'add', path: `/metadata/annotations/${MEMORY_ANNOTATION}`, value: '640' });
  });

  it('accepts the ?timeout= query the API server appends', async () => {
    const answer = await send(webhook, '/mutate-v1-pod?timeout=10s', validBody);
    expect(readResponse(answer).response.uid).toBe('uid-valid');
  });

  it('accepts application/json with a charset parameter', async () => {
    const answer = await send(webhook, '/mutate-v1-pod', validBody, {
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(answer.status).toBe(200);
  });

  it('refuses another content type with 400 naming it', async () => {
    const answer = await send(webhook, '/mutate-v1-pod', validBody, { headers: { 'Content-Type': 'text/yaml' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('Content-Type must be application/json, got text/yaml\n');
  });

  it('refuses a body without a content type with 400', async () => {
    const answer = await send(webhook, '/mutate-v1-pod', validBody, { headers: { 'Content-Type': '' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('Content-Type must be application/json');
  });

  it('refuses malformed reviews with 400 and the reason', async () => {
    const answer = await send(
      webhook,
      '/mutate-v1-pod',
      '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}',
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('request.uid must be a non-empty string, got nothing\n');
  });

  it('refuses a declared oversize body with 413 without reading it', async () => {
    const big = ' '.repeat(64 * 1024 + 1);
    const answer = await send(webhook, '/mutate-v1-pod', big);
    expect(answer.status).toBe(413);
    expect(answer.body).toBe(`the body is ${big.length} bytes; the limit is 65536\n`);
  });

  it('refuses a streamed (chunked) oversize body with 413', async () => {
    const reply = await rawExchange(
      webhook,
      'POST /mutate-v1-pod HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `10000\r\n${'x'.repeat(0x10000)}\r\n10\r\n${'y'.repeat(0x10)}\r\n0\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('the body exceeds the limit of 65536 bytes');
  });

  it('answers 408 to a client that stops sending in the middle of a body', async () => {
    const reply = await rawExchange(
      webhook,
      'POST /mutate-v1-pod HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"apiVersion"',
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('survives a client that disconnects mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: webhook.address.port,
        ca: webhook.files.ca.certPem,
        servername: 'localhost',
      });
      socket.once('secureConnect', () => {
        socket.write(
          'POST /mutate-v1-pod HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"a":',
        );
        socket.destroy();
        resolve();
      });
    });
    expect((await send(webhook, '/mutate-v1-pod', validBody)).status).toBe(200);
  });

  it('answers 405 to other methods on the webhook path', async () => {
    const answer = await send(webhook, '/mutate-v1-pod');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('answers 404 elsewhere', async () => {
    const answer = await send(webhook, '/mutate');
    expect(answer.status).toBe(404);
    expect(answer.body).toContain('POST /mutate-v1-pod');
  });

  it('serves /healthz on the same port', async () => {
    const answer = await send(webhook, '/healthz');
    expect(answer).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('counts admissions by outcome and times them, in the registry it is given', async () => {
    await send(webhook, '/mutate-v1-pod', JSON.stringify(admissionReview(peerPodWithSidecars('runc'))));
    const text = await registry.metrics();
    const counter = (outcome: string) =>
      Number(new RegExp(`^peerpods_webhook_admissions_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(counter('mutated')).toBeGreaterThanOrEqual(3);
    expect(counter('not-peer-pod')).toBe(1);
    expect(counter('bad-request')).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/^peerpods_webhook_admission_duration_seconds_bucket\{le="0\.005",outcome="mutated"\} \d+$/m);
  });

  // Any source may reach this port (the API server calls from wherever it runs): metrics are
  // served on the backend's health port, which only the monitoring namespaces reach.
  it('does not serve /metrics', async () => {
    const answer = await send(webhook, '/metrics');
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('peerpods_webhook');
  });

  it('refuses a peer pod it cannot size with allowed: false, and logs that at info without the pod spec', async () => {
    const pod = peerPodWithSidecars();
    pod.metadata!.name = 'unsizable';
    pod.spec!.initContainers![0]!.resources = { requests: { cpu: 'two' } };
    const answer = await send(webhook, '/mutate-v1-pod', JSON.stringify(admissionReview(pod, { uid: 'uid-bad' })));
    const { response } = readResponse(answer);
    expect(response).toMatchObject({ uid: 'uid-bad', allowed: false, status: { code: 400 } });
    expect(response.status?.message).toContain(
      'spec.initContainers[0] "migrate": resources.requests.cpu: "two" is not a valid quantity',
    );
    const logged = infoLines.join('');
    expect(logged).toContain('"pod":"unsizable"');
    expect(logged).toContain('peer pod refused');
    expect(logged).not.toContain('registry.access.redhat.com');
  });

  it('negotiates TLS 1.2 and 1.3, and refuses TLS 1.1', async () => {
    expect((await handshake(webhook)).protocol).toBe('TLSv1.3');
    expect((await handshake(webhook, { maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
    await expect(
      handshake(webhook, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }),
    ).rejects.toThrow();
  });
});

describe('webhook server configuration', () => {
  it('excludes the namespaces it is given instead of the defaults', async () => {
    const webhook = await startTestWebhook({ excludedNamespaces: ['team-*'] });
    try {
      const inTeam = await send(
        webhook,
        '/mutate-v1-pod',
        JSON.stringify(admissionReview(peerPodWithSidecars(), { namespace: 'team-a' })),
      );
      expect(readResponse(inTeam).patch).toBeUndefined();
      const inKubeSystem = await send(
        webhook,
        '/mutate-v1-pod',
        JSON.stringify(admissionReview(peerPodWithSidecars(), { namespace: 'kube-system' })),
      );
      expect(readResponse(inKubeSystem).patch).toBeDefined();
    } finally {
      await webhook.stop();
    }
  });

  it('uses the configured runtime class and extended resource', async () => {
    const webhook = await startTestWebhook({
      targetRuntimeClass: 'kata-remote-cc',
      extendedResource: 'example.com/vm',
    });
    try {
      const answer = await send(
        webhook,
        '/mutate-v1-pod',
        JSON.stringify(admissionReview(peerPodWithSidecars('kata-remote-cc'))),
      );
      expect(readResponse(answer).patch).toContainEqual({
        op: 'replace',
        path: '/spec/containers/0/resources',
        value: { requests: { 'example.com/vm': '1' }, limits: { 'example.com/vm': '1' } },
      });
    } finally {
      await webhook.stop();
    }
  });

  it('refuses to start without a readable certificate, naming the file', () => {
    expect(() =>
      createWebhookServer({ port: 0, certFile: '/nonexistent/tls.crt', keyFile: '/nonexistent/tls.key' }),
    ).toThrow('cannot read the TLS certificate file /nonexistent/tls.crt: ENOENT');
  });

  it('reports a port that is taken', async () => {
    const first = await startTestWebhook();
    try {
      const second = createWebhookServer({
        port: first.address.port,
        host: '127.0.0.1',
        certFile: first.files.certFile,
        keyFile: first.files.keyFile,
      });
      await expect(second.listen()).rejects.toThrow(
        `the webhook cannot listen on 127.0.0.1:${first.address.port}: EADDRINUSE`,
      );
    } finally {
      await first.stop();
    }
  });
});

describe('serving-certificate rotation on disk', () => {
  it('serves a rotated certificate to new connections without a restart, and keeps the old one through a bad write', async () => {
    const webhook = await startTestWebhook({ certReloadIntervalMs: 200 });
    try {
      const original = (await handshake(webhook)).certificate;
      expect(original.subject.CN).toBe('peer-pods-webhook');

      // A key that does not match the certificate (a half-finished rotation) is not loaded.
      const stranger = await issueCertificate(await createCertificateAuthority('stranger'), {
        commonName: 'x',
        usage: 'server',
      });
      writeFileSync(webhook.files.keyFile, stranger.keyPem);
      await webhook.server.reloadCertificate();
      expect((await handshake(webhook)).certificate.fingerprint256).toBe(original.fingerprint256);
      expect((await send(webhook, '/healthz')).status).toBe(200);

      await webhook.files.rotate('peer-pods-webhook-rotated');
      const rotated = await eventually(async () => {
        const { certificate } = await handshake(webhook);
        return certificate.fingerprint256 !== original.fingerprint256 ? certificate : undefined;
      }, 'the rotated certificate to be served');
      expect(rotated.subject.CN).toBe('peer-pods-webhook-rotated');
      const served = new X509Certificate(rotated.raw);
      expect(served.checkIssued(new X509Certificate(webhook.files.ca.certPem))).toBe(true);
      expect(readResponse(await send(webhook, '/mutate-v1-pod', validBody)).response.allowed).toBe(true);
    } finally {
      await webhook.stop();
    }
  });

  it('picks up a certificate moved into place by rename, as Secret volumes do', async () => {
    const webhook = await startTestWebhook({ certReloadIntervalMs: 200 });
    try {
      const before = (await handshake(webhook)).certificate.fingerprint256;
      const next = await issueCertificate(webhook.files.ca, {
        commonName: 'renamed',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
        usage: 'server',
      });
      // Write beside, then move over, the way Secret volumes swap their ..data symlink.
      const { renameSync } = await import('node:fs');
      writeFileSync(join(webhook.files.dir, 'tls.crt.new'), next.certPem);
      writeFileSync(join(webhook.files.dir, 'tls.key.new'), next.keyPem);
      renameSync(join(webhook.files.dir, 'tls.key.new'), webhook.files.keyFile);
      renameSync(join(webhook.files.dir, 'tls.crt.new'), webhook.files.certFile);
      const after = await eventually(async () => {
        const { certificate } = await handshake(webhook);
        return certificate.fingerprint256 !== before ? certificate : undefined;
      }, 'the renamed certificate to be served');
      expect(after.subject.CN).toBe('renamed');
    } finally {
      await webhook.stop();
    }
  });
});
