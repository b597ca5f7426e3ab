import { gunzipSync } from 'node:zlib';
import type { CapacitySnapshot } from '@peer-pods-console/contract';
import { describe, expect, it, vi } from 'vitest';
import { ModelCapacityService } from './capacity-service.ts';

const model = (revision: number) => ({
  revision,
  snapshot: () => ({ revision, nodes: [], unaccounted: [], pending: [] }) as unknown as CapacitySnapshot,
  subscribe: () => () => {},
});

/** A model whose snapshot names pods everywhere it can: pending, unaccounted and a node's VMs. */
const modelNamingPods = () => ({
  revision: 3,
  snapshot: vi.fn(
    () =>
      ({
        revision: 3,
        nodes: [
          {
            name: 'worker-a',
            pods: 2,
            vms: [
              {
                id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d',
                name: 'podvm-web-0-1a2b3c4d',
                state: 'running',
                pod: { namespace: 'shop', name: 'web-0' },
              },
              { id: 'i-0orphan', name: 'podvm-gone-5e6f7a8b', state: 'running' },
            ],
          },
        ],
        pending: [
          {
            namespace: 'shop',
            name: 'web-1',
            since: '2025-01-01T11:00:00Z',
            message:
              '0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm, persistentvolumeclaim "data-web-1" not found.',
          },
        ],
        unaccounted: [
          { namespace: 'payroll', name: 'batch-7', nodeName: 'worker-a', phase: 'Running', reason: 'no request' },
        ],
      }) as unknown as CapacitySnapshot,
  ),
  subscribe: () => () => {},
});

describe('the capacity summary’s ETag', () => {
  it('changes with the orphan count even when the model’s revision does not, since the body carries both', () => {
    let orphans: number | null = null;
    const service = new ModelCapacityService({ model: model(7), orphanCount: () => orphans });
    const before = service.snapshotJson('shown');
    orphans = 2;
    const after = service.snapshotJson('shown');
    expect(before.etag).toBe('"capacity-7-unknown"');
    expect(after.etag).toBe('"capacity-7-2"');
    expect(JSON.parse(after.json)).toMatchObject({ revision: 7, orphans: 2, podNames: 'shown' });
  });

  it('differs between the bodies with and without pod names, so a 304 never confirms the other one', () => {
    const service = new ModelCapacityService({ model: model(7), orphanCount: () => 2 });
    expect(service.snapshotJson('hidden').etag).toBe('"capacity-7-2-no-pod-names"');
    expect(service.snapshotJson('shown').etag).toBe('"capacity-7-2"');
  });
});

describe('the capacity summary without pod names', () => {
  it('carries no pod namespace or name, nor a VM name or id that embeds one', () => {
    const service = new ModelCapacityService({ model: modelNamingPods(), orphanCount: () => 1 });
    const { json } = service.snapshotJson('hidden');
    for (const secret of ['shop', 'web-0', 'web-1', 'payroll', 'batch-7', 'podvm-', 'data-web-1']) {
      expect(json, secret).not.toContain(secret);
    }
    expect(JSON.parse(json)).toMatchObject({
      podNames: 'hidden',
      nodes: [
        {
          name: 'worker-a',
          pods: 2,
          vms: [
            { id: null, name: null, state: 'running', pod: { namespace: null, name: null } },
            { id: null, name: null, state: 'running' },
          ],
        },
      ],
      pending: [
        {
          namespace: null,
          name: null,
          since: '2025-01-01T11:00:00Z',
          message: '0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm, persistentvolumeclaim "…" not found.',
        },
      ],
      unaccounted: [{ namespace: null, name: null, nodeName: 'worker-a', phase: 'Running' }],
    });
    // An orphan VM (no pod) stays told apart from a VM whose pod is hidden.
    expect(JSON.parse(json).nodes[0].vms[1]).not.toHaveProperty('pod');
  });

  it('leaves the summary with pod names as the model has it', () => {
    const service = new ModelCapacityService({ model: modelNamingPods(), orphanCount: () => 1 });
    const summary = service.snapshot('shown');
    expect(summary.podNames).toBe('shown');
    expect(summary.pending[0]).toMatchObject({ namespace: 'shop', name: 'web-1' });
    expect(summary.nodes[0]!.vms[0]).toMatchObject({ name: 'podvm-web-0-1a2b3c4d', pod: { name: 'web-0' } });
  });

  it('is built once per revision, like the one with names, and compressed once', () => {
    const source = modelNamingPods();
    const service = new ModelCapacityService({ model: source, orphanCount: () => 1 });
    const first = service.snapshotJson('hidden');
    const again = service.snapshotJson('hidden');
    service.snapshotJson('shown');
    expect(source.snapshot).toHaveBeenCalledTimes(1);
    expect(again.json).toBe(first.json);
    expect(again.gzip()).toBe(first.gzip());
    expect(gunzipSync(first.gzip()).toString()).toBe(first.json);
  });
});
