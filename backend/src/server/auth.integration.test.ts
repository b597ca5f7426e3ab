// Authentication and authorization as the signed-in user, against a real API server.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import { KubeClient } from '../kube/client.ts';
import { createLogger } from '../logging.ts';
import { AccessReviewer, requirePermission, requireUser } from './auth.ts';
import { errorHandler, type ErrorBody } from './errors.ts';

let cp: ControlPlane;
let base: string;
let closeServer: () => void;
let reviewer: AccessReviewer;

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false, installBase: false });
  reviewer = new AccessReviewer({ client: await KubeClient.create(cp.kubeConfig()) });
  const app = express();
  app.get(
    '/nodes',
    requireUser(reviewer),
    requirePermission(reviewer, { verb: 'list', resource: 'nodes' }),
    (req, res) => {
      res.json({ user: req.user?.username });
    },
  );
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => server.close();
});

afterAll(async () => {
  closeServer?.();
  await cp?.stop();
});

const get = (token?: string) => fetch(`${base}/nodes`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('API authentication and authorization', () => {
  it('answers 401 without a bearer token', async () => {
    const res = await get();
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('answers 401 for a token the API server does not know', async () => {
    const res = await get('not-a-real-token');
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.message).toContain('not accepted');
  });

  it('answers 403 naming the missing verb and resource for a user without the permission', async () => {
    const res = await get(cp.userToken);
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toContain('"test-developer" may not list nodes (cluster-wide)');
    expect(JSON.stringify(body)).not.toContain(cp.userToken);
  });

  it('lets the admin through as the admin', async () => {
    const res = await get(cp.adminToken);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: 'test-admin' });
  });

  it('asks the API server once per token and permission, then answers from the cache', async () => {
    expect((await get(cp.adminToken)).status).toBe(200);
    const before = { ...reviewer.stats };
    for (let i = 0; i < 5; i++) expect((await get(cp.adminToken)).status).toBe(200);
    expect(reviewer.stats).toEqual(before);
  });
});
