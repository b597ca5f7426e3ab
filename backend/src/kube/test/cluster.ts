// Observing a real API server in integration tests and benchmarks: waiting for convergence,
// the API server's own request counters, and the Events recorded about an object.
import type { KubeClient } from '../client.ts';

/** Polls until `probe` returns something other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

export interface RequestSelector {
  verb: string;
  resource: string;
  /** '' for the object itself. */
  subresource?: string;
}

/**
 * How many requests the API server has served for a verb/resource/subresource, from its own
 * apiserver_request_total counter (so writes are counted where they land, not where they are sent).
 * The counter restarts with the API server.
 */
export async function apiServerRequestCount(client: KubeClient, selector: RequestSelector): Promise<number> {
  const text = await client.request<string>({ method: 'GET', path: '/metrics', responseType: 'text' });
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries(
      [...line.slice(line.indexOf('{') + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (labels.verb !== selector.verb || labels.resource !== selector.resource) continue;
    if ((labels.subresource ?? '') !== (selector.subresource ?? '')) continue;
    total += Number(line.slice(close + 1).trim());
  }
  return total;
}

export function nodeStatusPatches(client: KubeClient): Promise<number> {
  return apiServerRequestCount(client, { verb: 'PATCH', resource: 'nodes', subresource: 'status' });
}

export interface EventSummary {
  reason: string;
  type: string;
  message: string;
  count: number;
  kind: string;
  name: string;
}

/** Events about one object (core/v1), newest information first as the API returns it. */
export async function eventsAbout(
  client: KubeClient,
  object: { kind: string; name: string; namespace?: string },
): Promise<EventSummary[]> {
  const namespace = object.namespace || 'default';
  const list = await client.request<{
    items: {
      reason?: string;
      type?: string;
      message?: string;
      count?: number;
      involvedObject: { kind?: string; name?: string };
    }[];
  }>({
    method: 'GET',
    path: `/api/v1/namespaces/${namespace}/events`,
    query: { fieldSelector: `involvedObject.kind=${object.kind},involvedObject.name=${object.name}` },
  });
  return list.items.map((e) => ({
    reason: e.reason ?? '',
    type: e.type ?? '',
    message: e.message ?? '',
    count: e.count ?? 0,
    kind: e.involvedObject.kind ?? '',
    name: e.involvedObject.name ?? '',
  }));
}
