// The live stream's feed, on the real capacity model: one delta per coalescing window, from the
// revision published before, which applied to the summary a stream started from gives the summary
// the API serves now, with pod names and without.
import { describe, expect, it, vi } from 'vitest';
import type { CapacityDelta, CapacitySummary, PodNames } from '@peer-pods-console/contract';
import { applyCapacityDelta } from '@peer-pods-console/contract/capacity-delta';
import { CapacityModel } from '../capacity/model.ts';
import type { NodeView, PodView } from '../capacity/objects.ts';
import { config, KATA, node, pod } from '../capacity/test/model-views.ts';
import { ModelCapacityService } from './capacity-service.ts';
import type { LiveCapacityUpdate } from './types.ts';

const insufficient = {
  reason: 'Unschedulable',
  message: '0/4 nodes are available: 4 Insufficient kata.peerpods.io/vm, persistentvolumeclaim "data-web-1" not found.',
  since: '2026-01-01T00:00:00Z',
};

function cluster(nodes = 5) {
  const model = new CapacityModel();
  model.upsertConfig(config('4'));
  for (let i = 0; i < nodes; i++) model.upsertNode(node(`worker-${i}`, { capacity: '4' }));
  const service = new ModelCapacityService({ model, orphanCount: () => 0, coalesceMs: 10 });
  const updates: LiveCapacityUpdate[] = [];
  return { model, service, updates, listen: () => service.subscribeLive((update) => updates.push(update)) };
}

const parse = (json: string) => JSON.parse(json) as CapacitySummary;
const nextUpdate = async (updates: LiveCapacityUpdate[], count: number) =>
  vi.waitFor(() => {
    if (updates.length < count) throw new Error(`${updates.length} of ${count} updates`);
    return updates[count - 1]!;
  });

describe('the live capacity feed', () => {
  it('gathers the changes of one window into one delta, from the revision published before to the newest', async () => {
    const { model, service, updates, listen } = cluster();
    listen();
    const start = service.liveSnapshot('shown').revision;
    for (let i = 0; i < 5; i++) model.upsertPod(pod(`web-${i}`, { nodeName: 'worker-1' }));
    const update = await nextUpdate(updates, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates).toHaveLength(1);
    expect(update).toMatchObject({ from: start, to: model.revision });
    const delta = JSON.parse(update.json('shown')) as CapacityDelta;
    expect(delta.nodes).toEqual([
      { at: 1, remove: 1, insert: [expect.objectContaining({ name: 'worker-1', used: 5 })] },
    ]);
    expect(delta.totals).toMatchObject({ used: 5 });
    expect(delta).not.toHaveProperty('configs');
    expect(service.liveSnapshot('shown').revision).toBe(update.to);
  });

  it('serialises each delta once per variant, whoever asks', async () => {
    const { model, updates, listen } = cluster();
    listen();
    model.upsertPod(pod('web-0', { nodeName: 'worker-0' }));
    const update = await nextUpdate(updates, 1);
    expect(update.json('shown')).toBe(update.json('shown'));
    expect(update.json('hidden')).toBe(update.json('hidden'));
  });

  it.each<PodNames>(['shown', 'hidden'])(
    'leads, delta by delta, from the first summary to the one the API serves now (pod names %s)',
    async (podNames) => {
      // A seeded walk over node, config and pod events, a window's worth at a time.
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const { model, service, updates, listen } = cluster(0);
      const nodes = new Map<string, NodeView>();
      const pods = new Map<string, PodView>();
      listen();
      let state = parse(service.liveSnapshot(podNames).json());
      for (let window = 1; window <= 25; window++) {
        for (let step = 0; step < 8; step++) {
          const choice = random(10);
          const nodeName = `worker-${random(15)}`;
          if (choice < 2) {
            const n = node(nodeName, { labels: random(4) ? { [KATA]: '' } : {}, capacity: String(random(6)) });
            nodes.set(nodeName, n);
            model.upsertNode(n);
          } else if (choice === 2 && nodes.delete(nodeName)) {
            model.deleteNode(nodeName);
          } else if (choice === 3) {
            model.upsertConfig(config(String(random(8))));
          } else if (choice < 9) {
            const name = `web-${random(30)}`;
            const p = pod(name, {
              namespace: ['shop', 'payroll'][random(2)],
              nodeName: random(3) ? nodeName : undefined,
              phase: ['Pending', 'Running'][random(2)],
              requestsVm: random(5) !== 0,
              unschedulable: random(2) ? insufficient : undefined,
            });
            if (pods.has(name)) model.deletePod(pods.get(name)!);
            pods.set(name, p);
            model.upsertPod(p);
          } else {
            const name = `web-${random(30)}`;
            if (pods.has(name)) model.deletePod(pods.get(name)!);
            pods.delete(name);
          }
        }
        const update = await nextUpdate(updates, window);
        const delta = JSON.parse(update.json(podNames)) as CapacityDelta;
        state = applyCapacityDelta(state, delta)!;
        expect(state, `window ${window}`).toBeDefined();
        expect(JSON.stringify(state), `window ${window}`).toBe(JSON.stringify(service.snapshot(podNames)));
      }
      if (podNames === 'hidden') {
        const everything = updates.map((u) => u.json('hidden')).join('\n');
        for (const identity of ['shop', 'payroll', 'web-', 'data-web-1']) expect(everything).not.toContain(identity);
      }
    },
  );

  it('runs only while a stream listens, and starts again from the summary of that moment', async () => {
    const { model, service, updates, listen } = cluster();
    const subscribe = model.subscribe.bind(model);
    let watching = 0;
    vi.spyOn(model, 'subscribe').mockImplementation((listener) => {
      const off = subscribe(listener);
      watching += 1;
      return () => {
        watching -= 1;
        off();
      };
    });
    const stop = listen();
    expect(watching).toBe(1);
    stop();
    expect(watching).toBe(0);
    model.upsertPod(pod('web-0', { nodeName: 'worker-0' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(updates).toHaveLength(0);
    listen();
    expect(service.liveSnapshot('shown').revision).toBe(model.revision);
  });
});
