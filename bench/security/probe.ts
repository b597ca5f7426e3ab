// Live security probes against a running backend (its own process, TLS, a real API server, moto as
// its EC2): what each kind of token gets from each route, how long a live-update stream outlives a
// revoked binding or token, and how many EC2 calls 100 readers of the port status cost.
//
//   npx tsx bench/security/probe.ts [--port-reads 100]
//
// Prints one JSON object (and the route table as Markdown on stderr).
//
// The API server is set up the way OpenShift authenticates and authorizes tokens, so that scoped
// tokens exist here: a token webhook (OpenShift's oauth-apiserver's role) maps the probe's tokens
// to users, one of them with `extra["scopes.authorization.openshift.io"] = ["user:info"]`, and an
// authorization webhook ahead of RBAC (the scope authorizer's role) denies a scoped user anything
// beyond its scope. Tokens probed:
//   none          no Authorization header
//   bogus         a random bearer token
//   other-aud     a ServiceAccount token (cluster-admin) requested for another audience
//   scoped        the cluster admin's token scoped to user:info
//   non-admin     a user without any RBAC binding
//   admin         the same cluster admin, unscoped
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuthenticationV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createCertificateAuthority, issueCertificate } from '../../hack/pki.ts';
import { https, log, machine, round, waitUntil, workDir } from '../reliability/harness.ts';
import { startScenario } from '../reliability/scenario.ts';

const { values: args } = parseArgs({
  options: { 'port-reads': { type: 'string', default: '100' } },
});
const SCOPES = 'scopes.authorization.openshift.io';
const token = () => `sha256~${randomBytes(24).toString('base64url')}`;
const ADMIN = { token: token(), user: 'probe-admin' };
const SCOPED = { token: token(), user: 'probe-admin' };
const REVOCABLE = { token: token(), user: 'probe-revocable' };
const revokedTokens = new Set<string>();
/** Tokens of the cluster admin, one per simulated reader (each a console session of its own). */
const READER_PREFIX = `sha256~reader-${randomBytes(8).toString('hex')}-`;

// ---- the token webhook and the scope authorizer ----------------------------------------------
function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    req.on('error', reject);
  });
}
const reply = (res: ServerResponse, body: unknown) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
};
const authWebhooks = async (request: IncomingMessage, res: ServerResponse) => {
  const review = await readJson(request);
  if (process.env.PROBE_DEBUG) log(`${request.url} ${JSON.stringify(review).slice(0, 300)}`);
  if (request.url?.startsWith('/authenticate')) {
    const spec = review.spec as { token?: string; audiences?: string[] };
    const presented = spec.token ?? '';
    const user =
      presented === ADMIN.token
        ? { username: ADMIN.user, uid: 'uid-probe-admin', groups: ['system:authenticated'] }
        : presented === SCOPED.token
          ? {
              username: SCOPED.user,
              uid: 'uid-probe-admin',
              groups: ['system:authenticated'],
              extra: { [SCOPES]: ['user:info'] },
            }
          : presented.startsWith(READER_PREFIX)
            ? { username: ADMIN.user, uid: 'uid-probe-admin', groups: ['system:authenticated'] }
            : presented === REVOCABLE.token && !revokedTokens.has(presented)
              ? { username: REVOCABLE.user, uid: 'uid-probe-revocable', groups: ['system:authenticated'] }
              : undefined;
    reply(res, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      status: user ? { authenticated: true, user, audiences: spec.audiences ?? [] } : { authenticated: false },
    });
    return;
  }
  // The scope authorizer: a user:info-scoped user may read its own user object and nothing else.
  const spec = review.spec as { extra?: Record<string, string[]> };
  const scopes = spec.extra?.[SCOPES];
  const status =
    scopes && !scopes.includes('user:full')
      ? { allowed: false, denied: true, reason: `scopes ${scopes.join(',')} do not allow this` }
      : { allowed: false };
  reply(res, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', status });
};

const started = Date.now();
const webhookCa = await createCertificateAuthority('probe-webhooks');
const webhookServing = await issueCertificate(webhookCa, {
  commonName: '127.0.0.1',
  ipAddresses: ['127.0.0.1'],
  usage: 'server',
});
const webhookServer = createHttpsServer({ cert: webhookServing.certPem, key: webhookServing.keyPem }, (req, res) => {
  authWebhooks(req, res).catch((err: Error) => {
    log(`auth webhook: ${err.message}`);
    res.statusCode = 400;
    res.end();
  });
});
await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', resolve));
const webhookBase = `https://127.0.0.1:${(webhookServer.address() as AddressInfo).port}`;
const dir = workDir('security-probe');
const webhookConfig = (name: string, path: string) => {
  const file = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: {
            server: `${webhookBase}${path}`,
            'certificate-authority-data': Buffer.from(webhookCa.certPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'apiserver', user: {} }],
      contexts: [{ name, context: { cluster: name, user: 'apiserver' } }],
      'current-context': name,
    }),
  );
  return file;
};

const scenario = await startScenario({
  name: 'probe',
  scheduler: false,
  apiServerFlags: [
    `--authentication-token-webhook-config-file=${webhookConfig('authn', '/authenticate')}`,
    '--authentication-token-webhook-version=v1',
    // What the API server itself caches is not what is probed here: a second at most.
    '--authentication-token-webhook-cache-ttl=1s',
    '--authorization-mode=Webhook,RBAC',
    `--authorization-webhook-config-file=${webhookConfig('authz', '/authorize')}`,
    '--authorization-webhook-version=v1',
    '--authorization-webhook-cache-authorized-ttl=1s',
    '--authorization-webhook-cache-unauthorized-ttl=1s',
  ],
  nodes: { count: 2, prefix: 'probe-node-' },
  limit: 4,
  cloud: 'aws-behind-proxy',
  webhook: 'direct',
  backendEnv: { LEADER_ELECTION: 'false' },
});
try {
  const { cp, kc, ca } = scenario;
  // Counts the backend's EC2 calls.
  const ec2Spy = scenario.cloud.proxy;
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const bindAdmin = (name: string, subject: { kind: 'User' | 'ServiceAccount'; name: string; namespace?: string }) =>
    rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [subject.kind === 'User' ? { ...subject, apiGroup: 'rbac.authorization.k8s.io' } : subject],
      },
    });
  await bindAdmin('probe-admin', { kind: 'User', name: ADMIN.user });
  await bindAdmin('probe-revocable', { kind: 'User', name: REVOCABLE.user });
  await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'probe-sa' } } });
  await bindAdmin('probe-sa', { kind: 'ServiceAccount', name: 'probe-sa', namespace: 'default' });
  const otherAudience = (
    await core.createNamespacedServiceAccountToken({
      name: 'probe-sa',
      namespace: 'default',
      body: { spec: { audiences: ['https://other.example.com'], expirationSeconds: 3600 } },
    })
  ).status?.token;
  if (!otherAudience) throw new Error('the API server issued no ServiceAccount token');

  const direct = await kc.makeApiClient(AuthenticationV1Api).createTokenReview({
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: ADMIN.token } },
  });
  if (!direct.status?.authenticated) {
    throw new Error(`the API server does not accept the probe's tokens: ${JSON.stringify(direct.status)}`);
  }
  const secrets = [
    cp.adminToken,
    cp.userToken,
    ADMIN.token,
    SCOPED.token,
    REVOCABLE.token,
    otherAudience,
    scenario.cloud.credentials.secretAccessKey,
  ];
  const backend = await scenario.startBackend('probe', { forbidden: secrets });
  const base = backend.url.replace(/\/$/, '');
  let lastAnswer = '';
  await waitUntil(`the capacity model to load (last answer: ${lastAnswer})`, async () => {
    const answer = await https(`${base}/api/v1/capacity`, { ca, headers: { Authorization: `Bearer ${ADMIN.token}` } });
    lastAnswer = `${answer.status} ${answer.body.slice(0, 300)}`;
    if (answer.status !== 200) log(lastAnswer);
    return answer.status === 200;
  });

  // ---- routes × tokens ----------------------------------------------------------------------
  const tokens: Record<string, string | undefined> = {
    none: undefined,
    bogus: token(),
    'other-aud': otherAudience,
    scoped: SCOPED.token,
    'non-admin': cp.userToken,
    admin: ADMIN.token,
  };
  const json = { 'Content-Type': 'application/json' };
  const routes: { name: string; url: string; method?: string; body?: string; headers?: Record<string, string> }[] = [
    { name: 'GET /api/v1/capacity', url: `${base}/api/v1/capacity` },
    { name: 'GET /api/v1/capacity/nodes/probe-node-0', url: `${base}/api/v1/capacity/nodes/probe-node-0` },
    { name: 'GET /api/v1/events (stream)', url: `${base}/api/v1/events`, method: 'HEAD' },
    { name: 'GET /api/v1/permissions', url: `${base}/api/v1/permissions` },
    { name: 'GET /api/v1/setup', url: `${base}/api/v1/setup` },
    { name: 'GET /api/v1/vms', url: `${base}/api/v1/vms` },
    { name: 'GET /api/v1/ports', url: `${base}/api/v1/ports` },
    { name: 'GET /api/v1/capacity/room', url: `${base}/api/v1/capacity/room` },
    {
      name: 'POST /api/v1/vms/cleanup (dry run)',
      url: `${base}/api/v1/vms/cleanup`,
      method: 'POST',
      body: JSON.stringify({ vmIds: ['i-0123456789abcdef0'], dryRun: true }),
      headers: json,
    },
    {
      name: 'POST /api/v1/ports/apply',
      url: `${base}/api/v1/ports/apply`,
      method: 'POST',
      body: JSON.stringify({ includeUdp: false }),
      headers: json,
    },
    { name: 'GET /healthz (API port)', url: `${base}/healthz` },
    { name: 'GET /readyz (API port)', url: `${base}/readyz` },
    { name: 'GET /metrics (API port)', url: `${base}/metrics` },
    { name: 'GET /metrics (webhook port)', url: `${backend.webhookUrl}/metrics` },
  ];
  const { metricsUrl } = backend as { metricsUrl?: string };
  if (metricsUrl) {
    const metricsBase = metricsUrl.replace(/\/$/, '');
    routes.push(
      { name: 'GET /readyz (metrics port)', url: `${metricsBase}/readyz` },
      { name: 'GET /metrics (metrics port)', url: `${metricsBase}/metrics` },
    );
  }
  const table: Record<string, Record<string, number>> = {};
  const leaks: string[] = [];
  for (const route of routes) {
    table[route.name] = {};
    for (const [kind, bearer] of Object.entries(tokens)) {
      const answer = await https(route.url, {
        ca,
        method: route.method ?? 'GET',
        body: route.body,
        headers: { ...route.headers, ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
        timeoutMs: 60_000,
      });
      table[route.name]![kind] = answer.status;
      if (secrets.some((secret) => answer.body.includes(secret))) leaks.push(`${route.name} as ${kind}`);
    }
  }

  // ---- live-update streams after revocation -------------------------------------------------
  /** Opens /events as `bearer`; resolves with the seconds from `revoke()` until the server ended the stream. */
  const streamEndAfter = async (bearer: string, revoke: () => Promise<void>) =>
    new Promise<{ seconds: number; endEvent: string | null }>((resolve, reject) => {
      let revokedAt = 0;
      let text = '';
      const req = httpsRequest(
        `${base}/api/v1/events`,
        { ca, headers: { Authorization: `Bearer ${bearer}` } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`the stream answered ${res.statusCode}`));
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (!revokedAt && text.includes('event: capacity')) {
              revokedAt = performance.now();
              revoke().catch(reject);
            }
          });
          res.on('end', () => {
            const end = /event: end\ndata: (.*)\n/.exec(text);
            resolve({ seconds: round((performance.now() - revokedAt) / 1000, 1), endEvent: end ? end[1]! : null });
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(180_000, () => req.destroy(new Error('the stream was not ended within 180 s')));
      req.end();
    });
  log('stream ended after the binding is deleted?');
  const afterBindingDeleted = await streamEndAfter(REVOCABLE.token, async () => {
    await rbac.deleteClusterRoleBinding({ name: 'probe-revocable' });
  });
  await bindAdmin('probe-revocable', { kind: 'User', name: REVOCABLE.user });
  await waitUntil('the re-created binding to be honoured', async () => {
    const answer = await https(`${base}/api/v1/capacity`, {
      ca,
      headers: { Authorization: `Bearer ${REVOCABLE.token}` },
    });
    return answer.status === 200;
  });
  log('stream ended after the token is invalidated?');
  const afterTokenInvalidated = await streamEndAfter(REVOCABLE.token, async () => {
    revokedTokens.add(REVOCABLE.token);
  });
  // Streams per user: the sixth of one user is refused.
  const held: ReturnType<typeof httpsRequest>[] = [];
  const streamStatuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    streamStatuses.push(
      await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          `${base}/api/v1/events`,
          { ca, headers: { Authorization: `Bearer ${ADMIN.token}` } },
          (res) => {
            resolve(res.statusCode ?? 0);
            if (res.statusCode !== 200) res.resume();
          },
        );
        req.on('error', reject);
        req.end();
        held.push(req);
      }),
    );
  }
  held.forEach((req) => req.destroy());

  // ---- EC2 calls per N readers of the port status -------------------------------------------
  // Each read comes from its own token, as N admins' console sessions would: the per-token cloud
  // limit does not shape these figures, the cache does.
  const reads = Number(args['port-reads']);
  const portReads = async (query: string, label: string) => {
    ec2Spy.clearRequests();
    const statuses: Record<string, number> = {};
    for (let i = 0; i < reads; i++) {
      const answer = await https(`${base}/api/v1/ports${query}`, {
        ca,
        headers: { Authorization: `Bearer ${READER_PREFIX}${label}-${i}` },
      });
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    }
    const byAction: Record<string, number> = {};
    for (const request of ec2Spy.requests) {
      const action = request.action ?? request.url;
      byAction[action] = (byAction[action] ?? 0) + 1;
    }
    return { reads, statuses, ec2Calls: ec2Spy.requests.length, byAction };
  };
  log(`${reads} GET /ports from ${reads} sessions (the shared reading)`);
  const shared = await portReads('', 'shared');
  log(
    `${reads} GET /ports?fresh=true from ${reads} sessions (the wizard's fresh reading: what every read cost before)`,
  );
  const fresh = await portReads('?fresh=true', 'fresh');
  log(`${reads} GET /ports?fresh=true from one session (the per-token cloud limit)`);
  ec2Spy.clearRequests();
  const oneSession: Record<string, number> = {};
  for (let i = 0; i < reads; i++) {
    const answer = await https(`${base}/api/v1/ports?fresh=true`, {
      ca,
      headers: { Authorization: `Bearer ${cp.adminToken}` },
    });
    oneSession[answer.status] = (oneSession[answer.status] ?? 0) + 1;
  }
  const oneSessionCalls = ec2Spy.requests.length;

  await backend.stop();
  const result = {
    scenario: 'live security probes',
    machine: machine(),
    tokens: Object.keys(tokens),
    routes: table,
    responsesWithASecret: leaks,
    logLinesWithASecret: backend.leakedLines.length,
    streams: {
      endedAfterBindingDeleted: afterBindingDeleted,
      endedAfterTokenInvalidated: afterTokenInvalidated,
      sixStreamsOfOneUser: streamStatuses,
    },
    portStatus: { shared, fresh, oneSessionFresh: { reads, statuses: oneSession, ec2Calls: oneSessionCalls } },
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  const kinds = Object.keys(tokens);
  process.stderr.write(
    [
      `| route | ${kinds.join(' | ')} |`,
      `|---|${kinds.map(() => '---').join('|')}|`,
      ...Object.entries(table).map(([name, row]) => `| ${name} | ${kinds.map((k) => row[k]).join(' | ')} |`),
    ].join('\n') + '\n',
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await scenario.stop();
  webhookServer.close();
}
