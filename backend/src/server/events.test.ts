// The live-update stream (GET /api/v1/events) keeps checking who is listening: a token that is
// no longer accepted or a permission that was taken away ends the stream, a stream ends after
// its lifetime, and one user holds a bounded number of streams. The reviewer here is a stand-in
// whose answers the tests change, as an admin would revoke a token or delete a binding.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging.ts';
import type { UserInfo } from '../services/types.ts';
import { createApiRouter, type ApiServices } from './api.ts';
import type { AccessReviewer, Permission } from './auth.ts';
import { errorHandler } from './errors.ts';

const ADMIN: UserInfo = { username: 'test-admin', groups: ['system:masters'] };

class SwitchableReviewer {
  tokens = new Map<string, UserInfo>([['admin-token', ADMIN]]);
  allowed = true;
  /** Resources this user may not touch, whatever `allowed` says. */
  denied = new Set<string>();
  async authenticate(token: string): Promise<UserInfo | null> {
    return this.tokens.get(token) ?? null;
  }
  async check(_user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
    return { allowed: this.allowed && !this.denied.has(permission.resource), reason: '' };
  }
}

const snapshot = { revision: 1, etag: '"capacity-1-0"', json: '{"revision":1}', gzip: () => Buffer.from('') };
const services = {
  capacity: { snapshot: () => ({}), snapshotJson: () => snapshot, subscribe: () => () => {} },
  peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
  cloudCredential: async () => ({ namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' }),
} as unknown as ApiServices;

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function startApi(
  reviewer: SwitchableReviewer,
  limits: { recheckMs?: number; lifetimeMs?: number; perUser?: number },
) {
  const app = express();
  app.use(
    '/api/v1',
    createApiRouter({
      reviewer: reviewer as unknown as AccessReviewer,
      services,
      streamRecheckMs: limits.recheckMs ?? 60_000,
      streamLifetimeMs: limits.lifetimeMs ?? 3_600_000,
      streamsPerUser: limits.perUser,
    }),
  );
  app.use(errorHandler(createLogger('silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events`;
}

/** Opens a stream and returns a reader of everything it sends until the server ends it. */
async function open(url: string, token = 'admin-token') {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    /** Everything the stream carried, once the server has ended it. */
    untilEnd: () => res.text(),
    cancel: () => res.body?.cancel(),
  };
}

describe('the live-update stream', () => {
  it('ends with event "end" (reason access) once the token is no longer accepted', async () => {
    const reviewer = new SwitchableReviewer();
    const url = await startApi(reviewer, { recheckMs: 20 });
    const stream = await open(url);
    expect(stream.status).toBe(200);
    reviewer.tokens.clear();
    const body = await stream.untilEnd();
    expect(body).toContain('event: capacity');
    expect(body.trimEnd().endsWith('event: end\ndata: {"reason":"access"}')).toBe(true);
  });

  it('ends once the user may no longer read capacity', async () => {
    const reviewer = new SwitchableReviewer();
    const url = await startApi(reviewer, { recheckMs: 20 });
    const stream = await open(url);
    reviewer.allowed = false;
    expect(await stream.untilEnd()).toContain('event: end\ndata: {"reason":"access"}');
  });

  it('ends after its lifetime, telling the client to reconnect within a second', async () => {
    const url = await startApi(new SwitchableReviewer(), { lifetimeMs: 30 });
    const body = await (await open(url)).untilEnd();
    expect(body.startsWith('retry: 1000\n\n')).toBe(true);
    expect(body).toContain('event: end\ndata: {"reason":"lifetime"}');
  });

  it('refuses a user more streams than the limit, naming it, and counts a closed one as gone', async () => {
    const url = await startApi(new SwitchableReviewer(), { perUser: 2 });
    const first = await open(url);
    const second = await open(url);
    const third = await fetch(url, { headers: { Authorization: 'Bearer admin-token' } });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(((await third.json()) as { error: { message: string } }).error.message).toContain(
      'already has 2 live update streams open',
    );
    await first.cancel();
    await expect
      .poll(async () => {
        const again = await fetch(url, { headers: { Authorization: 'Bearer admin-token' } });
        await again.body?.cancel();
        return again.status;
      })
      .toBe(200);
  });
});

describe('cloud-touching routes', () => {
  it('are limited per token before any authentication work', async () => {
    const reviewer = new SwitchableReviewer();
    const authenticate = vi.spyOn(reviewer, 'authenticate');
    const app = express();
    const status = vi.fn(async () => ({ platform: 'aws' }));
    app.use(
      '/api/v1',
      createApiRouter({
        reviewer: reviewer as unknown as AccessReviewer,
        services: { ...services, ports: { status } } as unknown as ApiServices,
        cloudRequestsPerMinute: 3,
      }),
    );
    app.use(errorHandler(createLogger('silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/ports`;
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push((await fetch(url, { headers: { Authorization: 'Bearer admin-token' } })).status);
    }
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    expect(authenticate).toHaveBeenCalledTimes(3);
    // Another token has its own allowance.
    const other = await fetch(url, { headers: { Authorization: 'Bearer someone-else' } });
    expect(other.status).toBe(401);
  });
});

describe('cloud data and cloud changes', () => {
  async function startWith(reviewer: SwitchableReviewer) {
    const app = express();
    app.use(
      '/api/v1',
      createApiRouter({
        reviewer: reviewer as unknown as AccessReviewer,
        services: {
          ...services,
          ports: { status: async () => ({ platform: 'aws' }) },
          vms: { inventory: async () => ({ vms: [] }) },
          setup: { report: async () => ({ checks: [] }) },
        } as unknown as ApiServices,
      }),
    );
    app.use(errorHandler(createLogger('silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    return (path: string) => fetch(`${base}${path}`, { headers: { Authorization: 'Bearer admin-token' } });
  }

  it('need get on the cloud credentials Secret besides list nodes, and the 403 names it', async () => {
    const reviewer = new SwitchableReviewer();
    reviewer.denied.add('secrets');
    const get = await startWith(reviewer);
    for (const path of ['/vms', '/ports', '/setup']) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        'may not get secrets peer-pods-secret in namespace openshift-sandboxed-containers-operator, the cloud credentials',
      );
    }
    // What does not touch the cloud stays readable with list nodes alone.
    expect((await get('/capacity')).status).toBe(200);
    expect(await (await get('/permissions')).json()).toMatchObject({ canRead: true, canChangeCloud: false });
  });

  it('are served to a user who may also read the Secret', async () => {
    const get = await startWith(new SwitchableReviewer());
    expect((await get('/vms')).status).toBe(200);
    expect((await get('/ports')).status).toBe(200);
    expect(await (await get('/permissions')).json()).toMatchObject({ canRead: true, canChangeCloud: true });
  });
});
