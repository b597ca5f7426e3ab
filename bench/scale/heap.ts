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

interface InspectorSession {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

async function openSession(backend: BackendProcess): Promise<InspectorSession> {
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
  return {
    call: (method, params = {}) =>
      new Promise<unknown>((resolve) => {
        const callId = ++id;
        pending.set(callId, resolve);
        ws.send(JSON.stringify({ id: callId, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Collects garbage in the backend (twice: weak references cleared by the first go in the second) and reads its memory. */
export async function heapAfterGc(
  backend: BackendProcess,
): Promise<{ heapUsedBytes: number; heapTotalBytes: number; rssBytes: number }> {
  const session = await openSession(backend);
  try {
    await session.call('HeapProfiler.collectGarbage');
    await session.call('HeapProfiler.collectGarbage');
    const answer = (await session.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    const memory = JSON.parse(answer.result.value) as { heapUsed: number; heapTotal: number; rss: number };
    return { heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, rssBytes: memory.rss };
  } finally {
    session.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where the backend spent its CPU in a profile: the functions with the most self time. */
export function topSelfTime(
  profile: { nodes: ProfileNode[]; samples?: number[]; startTime: number; endTime: number },
  count = 15,
): { function: string; selfPercent: number }[] {
  const hits = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const n = node.hitCount ?? 0;
    total += n;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(backend|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    hits.set(key, (hits.get(key) ?? 0) + n);
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, n]) => ({ function: fn, selfPercent: Math.round((n / Math.max(total, 1)) * 1000) / 10 }));
}

/** Starts V8's CPU profiler in the backend; the returned function stops it and answers the profile. */
export async function startCpuProfile(backend: BackendProcess): Promise<() => Promise<unknown>> {
  const session = await openSession(backend);
  await session.call('Profiler.enable');
  await session.call('Profiler.setSamplingInterval', { interval: 500 });
  await session.call('Profiler.start');
  return async () => {
    try {
      return ((await session.call('Profiler.stop')) as { profile: unknown }).profile;
    } finally {
      session.close();
    }
  };
}
