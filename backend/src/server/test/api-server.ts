// The API router on a loopback port, as the route tests call it: the real routes, access checks
// and error handler in front of the stand-in services and reviewer a test gives. The server
// closes when the test that started it finishes.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { onTestFinished } from 'vitest';
import { createLogger } from '../../logging.ts';
import { createApiRouter, type ApiOptions } from '../api.ts';
import { errorHandler } from '../errors.ts';

export interface ListeningApi {
  /** http://127.0.0.1:<port>/api/v1 */
  base: string;
  /** GET `path` (below `base`) with `token` as the bearer token. */
  get(path: string, token: string, headers?: Record<string, string>): Promise<Response>;
}

export async function listenApi(options: ApiOptions): Promise<ListeningApi> {
  const app = express();
  app.use('/api/v1', createApiRouter(options));
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0, '127.0.0.1');
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const get = (path: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return { base, get };
}
