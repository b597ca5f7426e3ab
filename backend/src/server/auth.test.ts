// The access reviewer's caches against a fake API server that answers TokenReviews and
// SubjectAccessReviews the way OpenShift does for scoped tokens: the same user, with
// `extra["scopes.authorization.openshift.io"]`, is allowed only what the scopes allow.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../kube/client.ts';
import type { UserInfo } from '../services/types.ts';
import { AccessReviewer, decisionKey, TokenReviewBudgetExceeded } from './auth.ts';

const SCOPES = 'scopes.authorization.openshift.io';
const TOKENS: Record<string, UserInfo> = {
  'full-token': { username: 'cluster-admin-user', uid: 'u1', groups: ['system:cluster-admins'] },
  'scoped-token': {
    username: 'cluster-admin-user',
    uid: 'u1',
    groups: ['system:cluster-admins'],
    extra: { [SCOPES]: ['user:info'] },
  },
};

let server: Server;
let kubeConfig: KubeConfig;
let client: KubeClient;
const calls = { tokenReviews: 0, accessReviews: 0 };

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.post('/apis/authentication.k8s.io/v1/tokenreviews', (req, res) => {
    calls.tokenReviews += 1;
    const user = TOKENS[(req.body as { spec: { token: string } }).spec.token];
    res.json({ ...req.body, status: user ? { authenticated: true, user } : { authenticated: false } });
  });
  app.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', (req, res) => {
    calls.accessReviews += 1;
    const spec = (req.body as { spec: { extra?: Record<string, string[]> } }).spec;
    // A user:info-scoped token may read only the user's own identity.
    const allowed = !spec.extra?.[SCOPES];
    res.json({
      ...req.body,
      status: { allowed, reason: allowed ? 'RBAC: allowed' : 'scopes [user:info] prevent this' },
    });
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'backend', token: 'backend-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'backend' }],
    currentContext: 'fake',
  });
  client = await KubeClient.create(kubeConfig);
});

afterAll(() => server?.close());

const LIST_NODES = { verb: 'list', resource: 'nodes' };

describe('the access reviewer', () => {
  it('does not give a scoped token the answer cached for the same user’s full token', async () => {
    const reviewer = new AccessReviewer({ client });
    const full = (await reviewer.authenticate('full-token'))!;
    const scoped = (await reviewer.authenticate('scoped-token'))!;
    expect(scoped.extra).toEqual({ [SCOPES]: ['user:info'] });

    expect((await reviewer.check(full, LIST_NODES)).allowed).toBe(true);
    expect(await reviewer.check(scoped, LIST_NODES)).toEqual({
      allowed: false,
      reason: 'scopes [user:info] prevent this',
    });
    // And the other way round: the scoped answer is not reused for the full token.
    expect((await reviewer.check(full, LIST_NODES)).allowed).toBe(true);
  });

  it('keys a decision by everything the review sends, in a canonical order', () => {
    const a: UserInfo = { username: 'u', uid: '1', groups: ['b', 'a'], extra: { y: ['2', '1'], x: ['0'] } };
    const b: UserInfo = { username: 'u', uid: '1', groups: ['a', 'b'], extra: { x: ['0'], y: ['1', '2'] } };
    expect(decisionKey(a, LIST_NODES)).toBe(decisionKey(b, { resource: 'nodes', verb: 'list' }));
    expect(decisionKey(a, LIST_NODES)).not.toBe(decisionKey({ ...a, extra: {} }, LIST_NODES));
    expect(decisionKey(a, LIST_NODES)).not.toBe(decisionKey({ ...a, uid: '2' }, LIST_NODES));
    expect(decisionKey(a, LIST_NODES)).not.toBe(decisionKey(a, { ...LIST_NODES, namespace: 'x' }));
  });

  it('remembers rejected tokens apart: a flood of them neither reaches the API server again nor evicts good ones', async () => {
    const reviewer = new AccessReviewer({ client, maxEntries: 10, tokenReviewBurst: 1000 });
    expect(await reviewer.authenticate('full-token')).not.toBeNull();
    for (let i = 0; i < 50; i++) expect(await reviewer.authenticate(`bogus-${i}`)).toBeNull();
    const before = reviewer.stats.tokenReviews;
    expect(await reviewer.authenticate('full-token')).not.toBeNull();
    expect(await reviewer.authenticate('bogus-49')).toBeNull();
    expect(reviewer.stats.tokenReviews).toBe(before);
  });

  it('reviews at most the budget of unknown tokens, refilling with time; cached tokens pass', async () => {
    let now = 0;
    const reviewer = new AccessReviewer({ client, tokenReviewsPerSecond: 2, tokenReviewBurst: 2, now: () => now });
    expect(await reviewer.authenticate('full-token')).not.toBeNull();
    expect(await reviewer.authenticate('unknown-1')).toBeNull();
    await expect(reviewer.authenticate('unknown-2')).rejects.toBeInstanceOf(TokenReviewBudgetExceeded);
    expect(await reviewer.authenticate('full-token')).not.toBeNull();
    now += 500;
    expect(await reviewer.authenticate('unknown-2')).toBeNull();
    expect(reviewer.stats.tokenReviews).toBe(3);
  });

  it('forgets an accepted token after 10 s and a decision after 5 s by default', async () => {
    const reviewer = new AccessReviewer({ client });
    const full = (await reviewer.authenticate('full-token'))!;
    await reviewer.check(full, LIST_NODES);
    const internals = reviewer as unknown as {
      users: { ttl: number };
      decisions: { ttl: number };
    };
    expect(internals.users.ttl).toBe(10_000);
    expect(internals.decisions.ttl).toBe(5_000);
  });
});
