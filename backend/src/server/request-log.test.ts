// Regression (found by bench/reliability/bad-input.ts): a token sent in a query string, e.g. a
// link with ?access_token=… pasted by a user, was written to the request log verbatim.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/memory-logger.ts';
import { createApp, withoutQueryValues } from './app.ts';

const TOKEN = 'sha256~query-token-that-must-not-be-logged';
const log = memoryLogger('info');
let base: string;
let close: () => void;

beforeAll(async () => {
  const api = express.Router();
  api.get('/capacity', (_req, res) => void res.json({ ok: true }));
  api.get('/loading', (_req, res) => void res.status(503).json({ error: { code: 'not_ready' } }));
  api.get('/broken', (_req, res) => void res.status(500).json({ error: { code: 'internal' } }));
  const app = createApp({ logger: log.logger, basePath: '/', pluginAssetsDir: '', api });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('the request log', () => {
  it('keeps the query parameter names but never their values', async () => {
    await fetch(`${base}/api/v1/capacity?access_token=${TOKEN}&includeUdp=true`);
    await fetch(`${base}/api/v1/nope?token=${TOKEN}`);
    const text = log.text();
    expect(text).toContain('/api/v1/capacity?access_token=…&includeUdp=…');
    expect(text).toContain('/api/v1/nope?token=…');
    expect(text).not.toContain(TOKEN);
  });

  it('logs a 503 (try again later) as a warning and other 5xx as errors', async () => {
    await fetch(`${base}/api/v1/loading`);
    await fetch(`${base}/api/v1/broken`);
    const lines = log
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number | string; req?: { url: string } });
    // pino's numbers (40 warn, 50 error) or, with the backend's formatter, their labels.
    const label = (level: number | string | undefined) =>
      typeof level === 'number' ? ({ 40: 'warn', 50: 'error' } as Record<number, string>)[level] : level;
    expect(label(lines.find((l) => l.req?.url === '/api/v1/loading')?.level)).toBe('warn');
    expect(label(lines.find((l) => l.req?.url === '/api/v1/broken')?.level)).toBe('error');
  });

  it('leaves a URL without a query as it is', () => {
    expect(withoutQueryValues('/api/v1/capacity/nodes/worker-0')).toBe('/api/v1/capacity/nodes/worker-0');
    expect(withoutQueryValues('/api/v1/ports?includeUdp')).toBe('/api/v1/ports?includeUdp');
    expect(withoutQueryValues('/x?a=1=2&&b=')).toBe('/x?a=…&&b=…');
  });
});
