// The heap a running backend keeps after a full garbage collection, read through the inspector
// protocol: the backend is started with NODE_OPTIONS=--inspect-port=127.0.0.1:0, which opens
// nothing until SIGUSR1 asks for the inspector. So a measurement touches the process only when it
// is taken, and the backend runs as in production until then.
import type { BackendProcess } from '../reliability/harness.ts';
import { waitUntil } from '../reliability/harness.ts';

/** Environment that lets heapAfterGc() open the backend's inspector later (and nothing before). */
export const INSPECTABLE_ENV = { NODE_OPTIONS: '--inspect-port=127.0.0.1:0' };

const urls = new WeakMap<BackendProcess, string>();

async function inspectorUrl(backend: BackendProcess): Promise<string> {
  const known = urls.get(backend);
  if (known) return known;
  const find = () =>
    backend
      .tail()
      .map((line) => /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1])
      .findLast(Boolean);
  if (!find()) backend.kill('SIGUSR1');
  const url = await waitUntil('the backend to open its inspector', find, 10_000, 20);
  urls.set(backend, url);
  return url;
}

/** Collects garbage in the backend (twice: weak references cleared by the first go in the second) and reads its memory. */
export async function heapAfterGc(
  backend: BackendProcess,
): Promise<{ heapUsedBytes: number; heapTotalBytes: number; rssBytes: number }> {
  const ws = new WebSocket(await inspectorUrl(backend));
  const pending = new Map<number, (result: unknown) => void>();
  let id = 0;
  ws.onmessage = (message) => {
    const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown };
    if (data.id !== undefined) pending.get(data.id)?.(data.result);
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('could not connect to the backend inspector'));
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const callId = ++id;
      pending.set(callId, resolve);
      ws.send(JSON.stringify({ id: callId, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const answer = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    const memory = JSON.parse(answer.result.value) as { heapUsed: number; heapTotal: number; rss: number };
    return { heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, rssBytes: memory.rss };
  } finally {
    ws.close();
  }
}
