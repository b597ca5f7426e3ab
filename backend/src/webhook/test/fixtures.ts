// Shared by the webhook's tests and benchmark: AdmissionReview bodies, a webhook server with a
// throw-away CA and serving certificate on disk, and a small HTTPS client that trusts that CA.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority } from '../../../../hack/pki.ts';
import type { ContainerJson, PodJson } from '../mutate.ts';
import { createWebhookServer, type WebhookAddress, type WebhookServer, type WebhookServerOptions } from '../server.ts';

export function container(name: string, resources?: ContainerJson['resources']): ContainerJson {
  return { name, image: 'registry.access.redhat.com/ubi9/ubi-minimal', ...(resources ? { resources } : {}) };
}

/** A pod as the API server sends it for CREATE: defaulted fields included, so bodies are realistic (~2 KB). */
export function peerPodWithSidecars(runtimeClassName = 'kata-remote'): PodJson {
  const defaults = {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'shop-7d9f8b6c5-',
      namespace: 'shop',
      labels: { app: 'shop', 'pod-template-hash': '7d9f8b6c5' },
      annotations: { 'openshift.io/scc': 'restricted-v2' },
    },
    spec: {
      runtimeClassName,
      containers: [
        {
          ...container('web', { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } }),
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          ...defaults,
        },
        {
          ...container('proxy', {
            requests: { cpu: '250m', memory: '64Mi' },
            limits: { cpu: '500m', memory: '128Mi' },
          }),
          ...defaults,
        },
        { ...container('log-shipper', { requests: { cpu: '100m', memory: '32Mi' } }), ...defaults },
      ],
      initContainers: [{ ...container('migrate', { requests: { cpu: '1', memory: '128Mi' } }), ...defaults }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {},
  };
}

/**
 * The same peer pod as OpenShift hands it to a mutating webhook once its own admission has run: a
 * Deployment's owner reference, the restricted-v2 SCC's container security contexts, the service
 * account's projected token volume and pull secret, environment and a probe (~4.7 KB as a review,
 * the size the reference webhook's README measures with).
 */
export function openShiftPeerPod(runtimeClassName = 'kata-remote'): PodJson {
  const pod = peerPodWithSidecars(runtimeClassName);
  const token = 'kube-api-access-x7k2p';
  const restricted = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    runAsUser: 1000680000,
  };
  const tokenMount = { name: token, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
  const admitted = (container: ContainerJson): ContainerJson => ({
    ...container,
    volumeMounts: [tokenMount],
    securityContext: restricted,
  });
  const web = pod.spec!.containers![0]!;
  const probe = (path: string) => ({
    httpGet: { path, port: 8080, scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  });
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'shop-7d9f8b6c5',
          uid: '5c0f3d0e-1b7a-4a53-9d2c-6f6f2e9c41a7',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      ...pod.spec,
      containers: [
        {
          ...admitted(web),
          env: [
            { name: 'SHOP_MODE', value: 'production' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          ],
          volumeMounts: [{ name: 'config', mountPath: '/etc/shop', readOnly: true }, tokenMount],
          readinessProbe: probe('/ready'),
        },
        ...pod.spec!.containers!.slice(1).map(admitted),
      ],
      initContainers: pod.spec!.initContainers!.map(admitted),
      imagePullSecrets: [{ name: 'default-dockercfg-9qzkd' }],
      securityContext: {
        ...(pod.spec!.securityContext as object),
        fsGroup: 1000680000,
        seLinuxOptions: { level: 's0:c26,c15' },
      },
      volumes: [
        { name: 'config', configMap: { name: 'shop-config', defaultMode: 420 } },
        {
          name: token,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
              {
                configMap: {
                  name: 'openshift-service-ca.crt',
                  items: [{ key: 'service-ca.crt', path: 'service-ca.crt' }],
                },
              },
            ],
          },
        },
      ],
    },
  };
}

export interface ReviewRequestOverrides {
  uid?: string;
  namespace?: string;
  operation?: string;
  dryRun?: boolean;
}

/** The AdmissionReview the API server sends for creating `pod`. */
export function admissionReview(pod: PodJson, overrides: ReviewRequestOverrides = {}): Record<string, unknown> {
  const namespace =
    overrides.namespace ?? (typeof pod.metadata?.namespace === 'string' ? pod.metadata.namespace : 'default');
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: overrides.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      name: typeof pod.metadata?.name === 'string' ? pod.metadata.name : '',
      namespace,
      operation: overrides.operation ?? 'CREATE',
      userInfo: { username: 'developer', uid: 'u-1', groups: ['system:authenticated'] },
      object: pod,
      oldObject: null,
      dryRun: overrides.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

export interface ServingFiles {
  dir: string;
  certFile: string;
  keyFile: string;
  ca: CertificateAuthority;
  /** issues a new certificate (new key) from the same CA and writes it over the files */
  rotate(commonName?: string): Promise<void>;
  remove(): void;
}

/** A CA and a serving certificate for 127.0.0.1/localhost, written to a fresh temporary directory. */
export async function createServingFiles(ca?: CertificateAuthority): Promise<ServingFiles> {
  const authority = ca ?? (await createCertificateAuthority('peer-pods-webhook-test-ca'));
  const dir = mkdtempSync(join(tmpdir(), 'peerpods-webhook-'));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  const write = async (commonName: string) => {
    const issued = await issueCertificate(authority, {
      commonName,
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
    writeFileSync(certFile, issued.certPem, { mode: 0o600 });
    writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
  };
  await write('peer-pods-webhook');
  return {
    dir,
    certFile,
    keyFile,
    ca: authority,
    rotate: (commonName = 'peer-pods-webhook-rotated') => write(commonName),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestWebhook {
  server: WebhookServer;
  address: WebhookAddress;
  files: ServingFiles;
  stop(): Promise<void>;
}

export async function startTestWebhook(
  options: Partial<WebhookServerOptions> = {},
  ca?: CertificateAuthority,
): Promise<TestWebhook> {
  const files = await createServingFiles(ca);
  const server = createWebhookServer({
    port: 0,
    host: '127.0.0.1',
    certFile: files.certFile,
    keyFile: files.keyFile,
    ...options,
  });
  const address = await server.listen();
  return {
    server,
    address,
    files,
    stop: async () => {
      await server.close();
      files.remove();
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PostOptions {
  method?: string;
  headers?: Record<string, string>;
  agent?: Agent | false;
}

/** One HTTPS request to the webhook, trusting the test CA. */
export function send(
  webhook: TestWebhook,
  path: string,
  body?: string | Buffer,
  options: PostOptions = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${webhook.address.url}${path}`,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: webhook.files.ca.certPem,
        agent: options.agent ?? false,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface AdmissionResponseJson {
  uid: string;
  allowed: boolean;
  patchType?: string;
  patch?: string;
  warnings?: string[];
  status?: { code?: number; message?: string; reason?: string; status?: string };
}

/** Parses an AdmissionReview response and decodes its patch. */
export function readResponse(answer: HttpAnswer): { response: AdmissionResponseJson; patch: unknown[] | undefined } {
  const review = JSON.parse(answer.body) as { apiVersion: string; kind: string; response: AdmissionResponseJson };
  if (review.apiVersion !== 'admission.k8s.io/v1' || review.kind !== 'AdmissionReview') {
    throw new Error(`not an AdmissionReview: ${answer.body.slice(0, 200)}`);
  }
  const patch = review.response.patch
    ? (JSON.parse(Buffer.from(review.response.patch, 'base64').toString('utf8')) as unknown[])
    : undefined;
  return { response: review.response, patch };
}
