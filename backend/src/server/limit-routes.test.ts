// The limit and override writes and the History, as routes: the user's own token reaches the
// service (never a response or the service's errors' text), bodies are checked against the
// contract, the API server's refusals keep their status and words, and the History is only for
// who may list Events where they are.
import { describe, expect, it } from 'vitest';
import type { LimitChangeResult } from '@peer-pods-console/contract';
import { ApiServerRefusedError, InvalidValueError } from '../services/errors.ts';
import type { Actor, UserInfo } from '../services/types.ts';
import type { ApiServices } from './api.ts';
import type { AccessReviewer, Permission } from './auth.ts';
import { listenApi } from './test/api-server.ts';

const ADMIN: UserInfo = { username: 'test-admin', groups: ['system:masters'] };
const DEV: UserInfo = { username: 'dev', groups: ['system:authenticated'] };

class Reviewer {
  tokens = new Map([
    ['admin-token', ADMIN],
    ['dev-token', DEV],
  ]);
  reviews = { tokens: 0, access: [] as Permission[] };
  async authenticate(token: string) {
    this.reviews.tokens += 1;
    return this.tokens.get(token) ?? null;
  }
  async check(user: UserInfo, permission: Permission) {
    this.reviews.access.push(permission);
    return { allowed: user === ADMIN, reason: '' };
  }
}

async function startApi(limits: ApiServices['limits'], options: { mutationsPerMinute?: number } = {}) {
  const reviewer = new Reviewer();
  const historyReaders: string[] = [];
  const services = {
    peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
    cloudCredential: async () => ({ namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' }),
    limits,
    history: {
      recent: async (token: { reveal(): string }) => {
        historyReaders.push(token.reveal());
        return { entries: [] };
      },
    },
  } as unknown as ApiServices;
  const { base } = await listenApi({ reviewer: reviewer as unknown as AccessReviewer, services, ...options });
  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { call, reviewer, historyReaders };
}

/** A service that records who asked for what and answers a fixed change. */
function recordingLimits(failure?: Error) {
  const calls: { what: string; args: unknown[]; user: string; token: string }[] = [];
  const answer = (target: string, value: string | null): LimitChangeResult => ({
    target,
    old: '10',
    new: value,
    event: { namespace: 'ns', name: 'e' },
  });
  return {
    calls,
    limits: {
      changeLimit: async (config: unknown, limit: number, actor: Actor) => {
        calls.push({ what: 'limit', args: [config, limit], user: actor.user.username, token: actor.token.reveal() });
        if (failure) throw failure;
        return answer('ns/ppc', String(limit));
      },
      changeOverride: async (node: string, override: number | null, actor: Actor) => {
        calls.push({
          what: 'override',
          args: [node, override],
          user: actor.user.username,
          token: actor.token.reveal(),
        });
        if (failure) throw failure;
        return answer(node, override === null ? null : String(override));
      },
    },
  };
}

describe('PUT /configs/:namespace/:name/limit', () => {
  it('hands the service the signed-in user and their own token, and answers the change', async () => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/ppc/limit', 'dev-token', { limit: 12 });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ target: 'ns/ppc', old: '10', new: '12', event: { namespace: 'ns', name: 'e' } });
    expect(fake.calls).toEqual([
      { what: 'limit', args: [{ namespace: 'ns', name: 'ppc' }, 12], user: 'dev', token: 'dev-token' },
    ]);
  });

  it('asks no access review: the API server decides on the write itself', async () => {
    const fake = recordingLimits();
    const { call, reviewer } = await startApi(fake.limits);

    await call('PUT', '/configs/ns/ppc/limit', 'dev-token', { limit: 12 });

    expect(reviewer.reviews.access).toEqual([]);
  });

  it('refuses an anonymous caller before any review or write', async () => {
    const fake = recordingLimits();
    const { call, reviewer } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/ppc/limit', undefined, { limit: 12 });

    expect(res.status).toBe(401);
    expect(reviewer.reviews.tokens).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  it.each([
    [{ limit: -1 }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ limit: '12' }, 'limit'],
    [{ limit: 12, extra: true }, ''],
    [{}, 'limit'],
  ])('answers 400 for the body %j', async (body, field) => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/ppc/limit', 'admin-token', body);

    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: { code: string; field?: string } };
    expect(answer.error.code).toBe('invalid_request');
    if (field) expect(answer.error.field).toBe(field);
    expect(fake.calls).toEqual([]);
  });

  it('answers 400 for a name that is no object name', async () => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/Not_A_Name/limit', 'admin-token', { limit: 1 });

    expect(res.status).toBe(400);
    expect(fake.calls).toEqual([]);
  });

  it('answers a value above the most a node runs as 400, naming the field and the fix', async () => {
    const fake = recordingLimits(
      new InvalidValueError('limit', 'limit 5000 is more than 1000; enter a whole number from 0 to 1000'),
    );
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/ppc/limit', 'admin-token', { limit: 5000 });

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { field: 'limit', message: expect.stringMatching(/from 0 to 1000/) },
    });
  });

  it.each([
    ['forbidden', 403],
    ['not-found', 404],
    ['conflict', 409],
    ['invalid', 422],
    ['unauthenticated', 401],
  ] as const)("passes the API server's %s on as %i, in its words", async (refusal, status) => {
    const words = 'peerpodconfigs.confidentialcontainers.org "ppc" is forbidden: User "dev" cannot patch resource';
    const fake = recordingLimits(new ApiServerRefusedError(refusal, words));
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/configs/ns/ppc/limit', 'dev-token', { limit: 12 });

    expect(res.status).toBe(status);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ message: words, error: { message: words } });
    expect(text).not.toContain('dev-token');
  });

  it('is limited per user like every change', async () => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits, { mutationsPerMinute: 2 });

    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await call('PUT', '/configs/ns/ppc/limit', 'dev-token', { limit: i })).status);

    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('PUT /nodes/:name/override', () => {
  it('sets, and with null removes, the override as the user', async () => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits);

    expect((await call('PUT', '/nodes/worker-0/override', 'admin-token', { override: 4 })).status).toBe(200);
    expect((await call('PUT', '/nodes/worker-0/override', 'admin-token', { override: null })).status).toBe(200);

    expect(fake.calls.map((c) => [c.what, c.args, c.token])).toEqual([
      ['override', ['worker-0', 4], 'admin-token'],
      ['override', ['worker-0', null], 'admin-token'],
    ]);
  });

  it('answers 400 when the override is missing (null must be said)', async () => {
    const fake = recordingLimits();
    const { call } = await startApi(fake.limits);

    const res = await call('PUT', '/nodes/worker-0/override', 'admin-token', {});

    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: 'override' } });
  });
});

describe('GET /history', () => {
  it("needs `list events` in the PeerPodConfig's namespace and in default, and reads with the reader's token", async () => {
    const { call, reviewer, historyReaders } = await startApi(recordingLimits().limits);

    const res = await call('GET', '/history', 'admin-token');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entries: [] });
    expect(reviewer.reviews.access).toEqual([
      { verb: 'list', resource: 'events', namespace: 'openshift-sandboxed-containers-operator' },
      { verb: 'list', resource: 'events', namespace: 'default' },
    ]);
    expect(historyReaders).toEqual(['admin-token']);
  });

  it('is refused, naming the permission, to who may not list those Events', async () => {
    const { call, historyReaders } = await startApi(recordingLimits().limits);

    const res = await call('GET', '/history', 'dev-token');

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: {
        message: expect.stringContaining('may not list events in namespace openshift-sandboxed-containers-operator'),
      },
    });
    expect(historyReaders).toEqual([]);
  });
});
