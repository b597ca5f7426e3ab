import { CAA_OWNER_ANNOTATION, VM_LIMIT_OVERRIDE_ANNOTATION } from '@peer-pods-console/contract/capacity';
import { describe, expect, it } from 'vitest';
import type { RawObject } from '../kube/informer.ts';
import { nodeTransform, peerPodFilter, peerPodTransform, podRequest, podTransform } from './objects.ts';

const R = 'kata.peerpods.io/vm';

function container(requests?: Record<string, string>, limits?: Record<string, string>, restartPolicy?: string) {
  return { name: 'c', image: 'x', resources: { requests, limits }, ...(restartPolicy ? { restartPolicy } : {}) };
}

describe('podRequest counts a pod the way the scheduler does', () => {
  it.each([
    { name: 'one container requesting 1', spec: { containers: [container({ [R]: '1' }, { [R]: '1' })] }, amount: 1 },
    {
      name: 'a limit alone counts (the API server defaults the request to it)',
      spec: { containers: [container(undefined, { [R]: '1' })] },
      amount: 1,
    },
    {
      name: 'app containers add up',
      spec: { containers: [container({ [R]: '1' }), container({ [R]: '2' })] },
      amount: 3,
    },
    {
      name: 'an init container runs alone: the pod needs the larger of it and the app containers',
      spec: { initContainers: [container({ [R]: '3' })], containers: [container({ [R]: '1' })] },
      amount: 3,
    },
    {
      name: 'a sidecar (restartPolicy Always) runs alongside the app containers',
      spec: { initContainers: [container({ [R]: '1' }, undefined, 'Always')], containers: [container({ [R]: '1' })] },
      amount: 2,
    },
    {
      name: 'an init container after a sidecar runs next to it',
      spec: {
        initContainers: [container({ [R]: '1' }, undefined, 'Always'), container({ [R]: '2' })],
        containers: [container({ [R]: '0' })],
      },
      amount: 3,
    },
    {
      name: 'pod overhead is added',
      spec: { containers: [container({ [R]: '1' })], overhead: { [R]: '1' } },
      amount: 2,
    },
    { name: 'canonical quantities are read ("1k")', spec: { containers: [container({ [R]: '1k' })] }, amount: 1000 },
    {
      name: 'no mention of the resource',
      spec: { containers: [container({ cpu: '1' })] },
      amount: 0,
      mentioned: false,
    },
  ])('$name', ({ spec, amount, mentioned }) => {
    expect(podRequest(spec, R)).toEqual({ amount, mentioned: mentioned ?? true });
  });
});

describe('peerPodFilter keeps peer pods only', () => {
  const filter = peerPodFilter('kata-remote', R);
  it.each([
    [{ spec: { runtimeClassName: 'kata-remote', containers: [container()] } }, true],
    [{ spec: { containers: [container({ [R]: '1' })] } }, true],
    [{ spec: { runtimeClassName: 'kata', containers: [container({ cpu: '1' })] } }, false],
    [{ spec: { containers: [container()] } }, false],
    [{}, false],
  ])('%j → %s', (raw, kept) => {
    expect(filter(raw as RawObject)).toBe(kept);
  });
});

describe('transforms keep only what capacity code reads', () => {
  it('a node keeps labels, the two annotations of interest and the resource fields', () => {
    const view = nodeTransform(R)({
      metadata: {
        name: 'w',
        uid: 'u',
        resourceVersion: '7',
        labels: { a: 'b' },
        annotations: {
          [VM_LIMIT_OVERRIDE_ANNOTATION]: '3',
          [CAA_OWNER_ANNOTATION]: 'x',
          'machine.openshift.io/big': 'y'.repeat(1000),
        },
        managedFields: [{}],
      },
      status: { capacity: { cpu: '8', [R]: '10' }, allocatable: { cpu: '8' }, images: [{}] },
    });
    expect(view).toEqual({
      metadata: {
        name: 'w',
        uid: 'u',
        resourceVersion: '7',
        labels: { a: 'b' },
        annotations: { [VM_LIMIT_OVERRIDE_ANNOTATION]: '3', [CAA_OWNER_ANNOTATION]: 'x' },
      },
      capacity: '10',
      allocatable: undefined,
      hasCapacityMap: true,
      hasAllocatableMap: true,
      capacityManagers: [],
    });
  });

  it('a node keeps only the names of the managers that own the capacity of the resource', () => {
    const owns = (fields: Record<string, unknown>) => ({ 'f:status': fields });
    const view = nodeTransform(R)({
      metadata: {
        name: 'w',
        managedFields: [
          { manager: 'kubelet', operation: 'Update', fieldsV1: owns({ 'f:allocatable': { [`f:${R}`]: {} } }) },
          { manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:spec': { 'f:podCIDR': {} } } },
          {
            manager: 'manager',
            operation: 'Update',
            subresource: 'status',
            fieldsV1: owns({ 'f:capacity': { [`f:${R}`]: {} } }),
          },
          { manager: 'kubelet', operation: 'Update', fieldsV1: owns({ 'f:capacity': { 'f:cpu': {} } }) },
        ],
      },
      status: { capacity: { [R]: '10' } },
    });
    expect(view.capacityManagers).toEqual(['manager']);
  });

  it('reads managers of the resource it is given, and none from malformed managedFields', () => {
    const raw = {
      metadata: {
        name: 'w',
        managedFields: [
          { manager: 'peer-pods-console', fieldsV1: { 'f:status': { 'f:capacity': { 'f:example.com/gpu': {} } } } },
          { manager: 'broken', fieldsV1: 'f:status' },
          { fieldsV1: { 'f:status': { 'f:capacity': { [`f:${R}`]: {} } } } },
        ],
      },
    };
    expect(nodeTransform('example.com/gpu')(raw).capacityManagers).toEqual(['peer-pods-console']);
    expect(nodeTransform(R)(raw).capacityManagers).toEqual([]);
    expect(nodeTransform(R)({ metadata: { name: 'w', managedFields: 'nonsense' } }).capacityManagers).toEqual([]);
  });

  it('a node without status has no maps', () => {
    const view = nodeTransform(R)({ metadata: { name: 'w' } });
    expect(view.hasCapacityMap).toBe(false);
    expect(view.hasAllocatableMap).toBe(false);
  });

  it('a pod keeps binding, request, phase and the PodScheduled=False condition', () => {
    const view = podTransform(R)({
      metadata: {
        name: 'p',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '1',
        creationTimestamp: '2026-01-01T00:00:00Z',
      },
      spec: { runtimeClassName: 'kata-remote', containers: [container({ [R]: '1' }, { [R]: '1' })] },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm.',
            lastTransitionTime: '2026-01-01T00:00:01Z',
          },
        ],
      },
    });
    expect(view).toMatchObject({
      nodeName: undefined,
      vmRequest: 1,
      requestsVm: true,
      phase: 'Pending',
      terminal: false,
      terminating: false,
      unschedulable: { reason: 'Unschedulable', since: '2026-01-01T00:00:01Z' },
    });
    expect(view.unschedulable?.message).toContain('Insufficient kata.peerpods.io/vm');
  });

  it('a pod in phase Succeeded or Failed is terminal', () => {
    for (const phase of ['Succeeded', 'Failed']) {
      expect(podTransform(R)({ metadata: { name: 'p', namespace: 'n' }, spec: {}, status: { phase } }).terminal).toBe(
        true,
      );
    }
  });

  it('a PeerPod keeps its owning pod and instance', () => {
    const view = peerPodTransform({
      metadata: { name: 'pp', namespace: 'ns', ownerReferences: [{ kind: 'Pod', name: 'p', uid: 'pod-uid' }] },
      spec: { cloudProvider: 'aws', instanceID: 'i-1' },
    });
    expect(view).toMatchObject({ podUid: 'pod-uid', podName: 'p', cloudProvider: 'aws', instanceID: 'i-1' });
  });
});
