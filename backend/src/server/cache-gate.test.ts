// Readiness does not wait for the informer caches, so the API routes that read them answer 503
// with Retry-After, naming what is still loading, until the caches hold a complete listing; the
// routes that read none answer at once, and the live stream stays open and waits.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.ts';
import type { UserInfo } from '../services/types.ts';
import { createApiRouter, type ApiServices } from './api.ts';
import type { AccessReviewer } from './auth.ts';
import type { CacheName } from './cache-gate.ts';
import { errorHandler } from './errors.ts';

const ADMIN: UserInfo = { username: 'test-admin', groups: ['system:masters'] };
const reviewer = {
  authenticate: async (token: string) => (token === 'admin-token' ? ADMIN : null),
  check: async () => ({ allowed: true, reason: '' }),
} as unknown as AccessReviewer;

const WORDS: Record<CacheName, string> = {
  nodes: 'nodes',
  peerPodConfigs: 'PeerPodConfigs',
  pods: 'pods',
  peerPods: 'PeerPods',
};
let unsynced: Set<CacheName>;
let server: Server;
let base: string;

beforeEach(async () => {
  unsynced = new Set(['pods', 'peerPods']);
  const snapshot = { revision: 7, etag: '"capacity-7-0"', json: '{"revision":7}', gzip: () => Buffer.from('') };
  const services = {
    capacity: {
      snapshot: () => ({ revision: 7, nodes: [], unaccounted: [] }),
      snapshotJson: () => snapshot,
      liveSnapshot: () => ({ revision: 7, json: () => snapshot.json }),
      subscribeLive: () => () => {},
    },
    vms: { inventory: async () => ({ vms: [] }) },
    ports: { status: async () => ({ platform: 'aws', rules: [] }) },
    peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
    cloudCredential: async () => ({ namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-secret' }),
    caches: { loading: (names: readonly CacheName[]) => names.filter((n) => unsynced.has(n)).map((n) => WORDS[n]) },
  } as unknown as ApiServices;
  const app = express();
  app.use('/api/v1', createApiRouter({ reviewer, services }));
  app.use(errorHandler(createLogger('silent')));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterEach(() => {
  server.closeAllConnections();
  server.close();
});

const get = (path: string, token: string | null = 'admin-token') =>
  fetch(`${base}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('API routes while the informer caches load', () => {
  it.each(['/capacity', '/capacity/nodes/worker-0', '/vms'])(
    'answer %s with 503, Retry-After and a message naming the caches still loading',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { code: string; message: string }; message: string };
      expect(body.error.code).toBe('not_ready');
      expect(body.message).toBe(
        'the backend is still loading pods and PeerPods from the API server (it has just started, or cannot list them); try again in a few seconds',
      );
    },
  );

  it('answer once the caches a route reads have synced', async () => {
    unsynced = new Set(['nodes']);
    expect((await get('/capacity')).status).toBe(503);
    // VMs are matched to pods and PeerPods only: the node listing does not hold them up.
    expect((await get('/vms')).status).toBe(200);
    unsynced.clear();
    expect((await get('/capacity')).status).toBe(200);
  });

  it('still authenticate first: no token, 401, whatever is loading', async () => {
    expect((await get('/capacity', null)).status).toBe(401);
  });

  it('leave the routes that read no cache alone', async () => {
    unsynced = new Set(['nodes', 'peerPodConfigs', 'pods', 'peerPods']);
    expect((await get('/ports')).status).toBe(200);
    expect((await get('/permissions')).status).toBe(200);
  });

  it('keep the live stream open and send the first snapshot once the caches hold', async () => {
    const res = await get('/events');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    // One read in flight at a time, kept across calls: a read that loses the race still delivers.
    let pending: ReturnType<typeof reader.read> | undefined;
    /** Reads until `done(received)`, or until `ms` have passed when given (a quiet period). */
    const readUntil = async (done: (text: string) => boolean, ms?: number) => {
      const deadline = ms === undefined ? Infinity : Date.now() + ms;
      while (Date.now() < deadline && !done(received)) {
        pending ??= reader.read();
        const chunk = await Promise.race([
          pending,
          ...(ms === undefined
            ? []
            : [new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), deadline - Date.now()))]),
        ]);
        if (!chunk) break;
        pending = undefined;
        if (chunk.done) break;
        received += decoder.decode(chunk.value);
      }
    };
    const hasCapacity = (text: string) => text.includes('event: capacity');
    await readUntil((text) => text.includes('retry: 1000\n\n'));
    // While the caches load, nothing but the retry line: a quiet period can only let a wrong
    // stream pass on a slow machine, never fail a right one.
    await readUntil(hasCapacity, 500);
    expect(received).toBe('retry: 1000\n\n');
    unsynced.clear();
    await readUntil(hasCapacity);
    expect(received).toContain('event: capacity\ndata: {"revision":7}');
    await reader.cancel();
  });
});
