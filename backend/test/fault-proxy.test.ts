// The fault proxy's own behaviour, for the two faults the reliability scenarios added: a call that
// never answers, and a call the target carried out whose answer never reaches the caller.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

let target: Server;
let proxy: FaultProxy;
let served = 0;

beforeAll(async () => {
  target = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      served++;
      res.end('from the target');
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy({ target: `http://127.0.0.1:${(target.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await proxy.stop();
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

function call(timeoutMs: number): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(`${proxy.endpoint}/x`, { method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ error: err.message }));
    req.end('Action=Test');
  });
}

describe('the fault proxy', () => {
  it("'hang' never answers and never forwards", async () => {
    served = 0;
    proxy.inject({ match: () => true, respond: 'hang' });
    expect(await call(300)).toEqual({ error: 'timed out' });
    expect(served).toBe(0);
    expect(await call(2000)).toEqual({ status: 200, body: 'from the target' });
  });

  it('afterForwarding lets the target act, then answers with the fault instead', async () => {
    served = 0;
    proxy.inject({ match: () => true, afterForwarding: true, respond: { status: 503, body: 'injected' } });
    expect(await call(2000)).toEqual({ status: 503, body: 'injected' });
    expect(served).toBe(1);
    proxy.inject({ match: () => true, afterForwarding: true, respond: 'drop' });
    expect((await call(2000)).error).toMatch(/socket hang up|ECONNRESET/);
    expect(served).toBe(2);
  });
});
