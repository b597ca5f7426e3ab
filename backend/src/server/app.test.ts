import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.ts';
import { createApp } from './app.ts';

let base: string;
let close: () => void;

beforeAll(async () => {
  const assets = mkdtempSync(join(tmpdir(), 'assets-'));
  writeFileSync(join(assets, 'plugin-manifest.json'), '{"name":"peer-pods-console-plugin"}');
  writeFileSync(join(assets, 'exposed-main-0123abcd.js'), 'console.log(1)');
  mkdirSync(join(assets, 'locales', 'en'), { recursive: true });
  writeFileSync(join(assets, 'locales', 'en', 'plugin__peer-pods-console-plugin.json'), '{}');
  const app = createApp({ logger: createLogger('silent'), basePath: '/backend/', pluginAssetsDir: assets });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend`;
  close = () => server.close();
});
afterAll(() => close());

describe('backend app', () => {
  it('answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  // The console's plugin proxy forwards any path on this port for any signed-in user.
  it.each(['/readyz', '/metrics'])(
    'does not serve %s: that is the health port, out of the proxy reach',
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no such path' } });
    },
  );

  it('never lets the plugin manifest be cached, and caches hashed chunks for long', async () => {
    const manifest = await fetch(`${base}/plugin-manifest.json`);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    const chunk = await fetch(`${base}/exposed-main-0123abcd.js`);
    expect(chunk.headers.get('cache-control')).toContain('immutable');
  });

  it('answers unknown paths with a JSON 404 and no framework banner', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no such path' } });
  });
});
