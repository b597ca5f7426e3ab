// The live-update stream (GET /api/v1/events) keeps checking who is listening: a token that is
// no longer accepted or a permission that was taken away ends the stream, a stream ends after
// its lifetime, and one user holds a bounded number of streams. The reviewer here is a stand-in
// whose answers the tests change, as an admin would revoke a token or delete a binding.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging.ts';
import type { PodNames } from '@peer-pods-console/contract';
import type { LiveCapacityUpdate, UserInfo } from '../services/types.ts';
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

/**
 * The capacity service's live side, driven by the test: the summary published last is `revision`,
 * and publish() hands every stream a delta as the shared feed does.
 */
class LiveCapacity {
  revision = 1;
  readonly listeners = new Set<(update: LiveCapacityUpdate) => void>();
  snapshot = () => ({});
  snapshotJson = () => snapshot;
  liveSnapshot = (podNames: PodNames) => ({
    revision: this.revision,
    json: () => JSON.stringify({ revision: this.revision, podNames }),
  });
  subscribeLive = (listener: (update: LiveCapacityUpdate) => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  publish(from: number, to: number): void {
    this.revision = to;
    for (const listener of this.listeners) {
      listener({ from, to, json: (podNames) => JSON.stringify({ from, to, podNames }) });
    }
  }
}

let live = new LiveCapacity();
const services = () =>
  ({
    capacity: live,
    peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
    cloudCredential: async () => ({ namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' }),
  }) as unknown as ApiServices;

let server: Server | undefined;
beforeEach(() => {
  live = new LiveCapacity();
});
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function startApi(
  reviewer: SwitchableReviewer,
  limits: { recheckMs?: number; lifetimeMs?: number; perUser?: number; keepAliveMs?: number },
) {
  const app = express();
  app.use(
    '/api/v1',
    createApiRouter({
      reviewer: reviewer as unknown as AccessReviewer,
      services: services(),
      streamRecheckMs: limits.recheckMs ?? 60_000,
      streamLifetimeMs: limits.lifetimeMs ?? 3_600_000,
      streamsPerUser: limits.perUser,
      keepAliveMs: limits.keepAliveMs,
    }),
  );
  app.use(errorHandler(createLogger('silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events`;
}

interface StreamEvent {
  id?: string;
  event?: string;
  data: unknown;
}

/** Opens a stream and returns readers of what it sends. */
async function open(url: string, token = 'admin-token', headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const parsed = (): StreamEvent[] =>
    text
      .split('\n\n')
      .slice(0, -1)
      .map((frame) => Object.fromEntries(frame.split('\n').map((line) => line.split(/: (.*)/s).slice(0, 2))))
      .filter((fields: Record<string, string>) => 'data' in fields)
      .map(({ id, event, data }: Record<string, string>) => ({ id, event, data: JSON.parse(data!) }));
  return {
    status: res.status,
    /** The first `count` events with data, once they have arrived. */
    events: async (count: number): Promise<StreamEvent[]> => {
      while (parsed().length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      return parsed().slice(0, count);
    },
    /** Everything the stream carried, once the server has ended it. */
    untilEnd: async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += value;
      }
    },
    cancel: () => reader.cancel(),
  };
}

/** Until every stream opened so far listens to the feed (the route subscribes after its access checks). */
const listening = (streams: number) => vi.waitFor(() => expect(live.listeners.size).toBe(streams));

describe('the live-update stream, by deltas', () => {
  it('sends the summary published last, then each change as a delta from the revision it sent before', async () => {
    live.revision = 3;
    const stream = await open(await startApi(new SwitchableReviewer(), {}));
    await listening(1);
    live.publish(3, 4);
    live.publish(4, 6);
    expect(await stream.events(3)).toEqual([
      { id: '3', event: 'capacity', data: { revision: 3, podNames: 'shown' } },
      { id: '4', event: 'capacity-delta', data: { from: 3, to: 4, podNames: 'shown' } },
      { id: '6', event: 'capacity-delta', data: { from: 4, to: 6, podNames: 'shown' } },
    ]);
  });

  it('sends a whole summary instead of a delta that does not start where the reader is, then deltas again', async () => {
    live.revision = 3;
    const stream = await open(await startApi(new SwitchableReviewer(), {}));
    await listening(1);
    live.publish(5, 6);
    live.publish(6, 7);
    expect(await stream.events(3)).toEqual([
      { id: '3', event: 'capacity', data: { revision: 3, podNames: 'shown' } },
      { id: '6', event: 'capacity', data: { revision: 6, podNames: 'shown' } },
      { id: '7', event: 'capacity-delta', data: { from: 6, to: 7, podNames: 'shown' } },
    ]);
  });

  it('goes on by deltas when Last-Event-ID names the summary published last, and sends it again when not', async () => {
    live.revision = 3;
    const url = await startApi(new SwitchableReviewer(), {});
    const resumed = await open(url, 'admin-token', { 'Last-Event-ID': '3' });
    const behind = await open(url, 'admin-token', { 'Last-Event-ID': '2' });
    await listening(2);
    live.publish(3, 4);
    expect(await resumed.events(1)).toEqual([
      { id: '4', event: 'capacity-delta', data: { from: 3, to: 4, podNames: 'shown' } },
    ]);
    expect(await behind.events(2)).toEqual([
      { id: '3', event: 'capacity', data: { revision: 3, podNames: 'shown' } },
      { id: '4', event: 'capacity-delta', data: { from: 3, to: 4, podNames: 'shown' } },
    ]);
  });

  it('goes on by deltas from ?since= (the summary a page just read), Last-Event-ID winning; a since that is not a revision is refused, naming it', async () => {
    live.revision = 3;
    const url = await startApi(new SwitchableReviewer(), {});
    const fromRead = await open(`${url}?since=3`);
    const staleRead = await open(`${url}?since=2`);
    const reconnected = await open(`${url}?since=2`, 'admin-token', { 'Last-Event-ID': '3' });
    await listening(3);
    live.publish(3, 4);
    const delta = { id: '4', event: 'capacity-delta', data: { from: 3, to: 4, podNames: 'shown' } };
    expect(await fromRead.events(1)).toEqual([delta]);
    expect(await reconnected.events(1)).toEqual([delta]);
    expect(await staleRead.events(2)).toEqual([
      { id: '3', event: 'capacity', data: { revision: 3, podNames: 'shown' } },
      delta,
    ]);
    for (const bad of ['abc', '-1', '1.5', '']) {
      const res = await fetch(`${url}?since=${bad}`, { headers: { Authorization: 'Bearer admin-token' } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { field?: string; message: string } };
      expect(body.error.message).toMatch(/^since is not a revision; give the revision/);
      expect(body.error.field).toBe('since');
    }
  });

  it('numbers the events without pod names apart, so a resumed stream never mixes the two', async () => {
    live.revision = 3;
    const reviewer = new SwitchableReviewer();
    reviewer.denied.add('pods');
    const stream = await open(await startApi(reviewer, {}), 'admin-token', { 'Last-Event-ID': '3' });
    await listening(1);
    live.publish(3, 4);
    expect(await stream.events(2)).toEqual([
      { id: '3-no-pod-names', event: 'capacity', data: { revision: 3, podNames: 'hidden' } },
      { id: '4-no-pod-names', event: 'capacity-delta', data: { from: 3, to: 4, podNames: 'hidden' } },
    ]);
  });

  it('switches to the other variant with a whole summary when the reader gains or loses list pods', async () => {
    live.revision = 3;
    const reviewer = new SwitchableReviewer();
    const stream = await open(await startApi(reviewer, { recheckMs: 20 }));
    await listening(1);
    reviewer.denied.add('pods');
    const [, switched] = await stream.events(2);
    live.publish(3, 4);
    const [, , next] = await stream.events(3);
    expect(switched).toEqual({ id: '3-no-pod-names', event: 'capacity', data: { revision: 3, podNames: 'hidden' } });
    expect(next).toEqual({
      id: '4-no-pod-names',
      event: 'capacity-delta',
      data: { from: 3, to: 4, podNames: 'hidden' },
    });
  });

  it('keeps the connection alive with a comment between events, and stops listening once closed', async () => {
    const stream = await open(await startApi(new SwitchableReviewer(), { keepAliveMs: 20, lifetimeMs: 100 }));
    expect(await stream.untilEnd()).toContain(': keep-alive\n\n');
    await listening(0);
  });
});

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
        services: { ...services(), ports: { status } } as unknown as ApiServices,
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
          ...services(),
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
