import { describe, expect, it } from 'vitest';
import { admits, pinnedNodeOf, placementOf, type LabelledNode } from './pinning.ts';

const HOSTNAME = 'kubernetes.io/hostname';
const nodes: LabelledNode[] = [
  { name: 'w1', labels: { [HOSTNAME]: 'w1', zone: 'a', gpus: '2' } },
  { name: 'w2', labels: { [HOSTNAME]: 'w2', zone: 'a', gpus: '8' } },
  { name: 'w3', labels: { [HOSTNAME]: 'w3', zone: 'b' } },
];

describe('placementOf', () => {
  it('reads nodeName, nodeSelector and the required node affinity terms of a pod spec', () => {
    expect(
      placementOf({
        nodeSelector: { [HOSTNAME]: 'w1' },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
          },
        },
      }),
    ).toEqual({
      nodeSelector: { [HOSTNAME]: 'w1' },
      requiredTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [] }],
    });
    expect(placementOf({ nodeName: 'w2' })).toEqual({ nodeName: 'w2' });
  });

  it('gives nothing for a pod nothing constrains (only preferences, an empty selector)', () => {
    expect(placementOf({ containers: [] })).toBeUndefined();
    expect(placementOf({ nodeSelector: {}, affinity: { nodeAffinity: {} } })).toBeUndefined();
  });
});

describe('pinnedNodeOf', () => {
  it('pins by spec.nodeName', () => {
    expect(pinnedNodeOf({ nodeName: 'w9' }, nodes)).toBe('w9');
  });

  it('pins by a nodeSelector on kubernetes.io/hostname', () => {
    expect(pinnedNodeOf({ nodeSelector: { [HOSTNAME]: 'w2' } }, nodes)).toBe('w2');
  });

  it('pins by required node affinity only one known node satisfies', () => {
    const byName = { requiredTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w3'] }] }] };
    expect(pinnedNodeOf(byName, nodes)).toBe('w3');
    const bigGpu = { requiredTerms: [{ matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['4'] }] }] };
    expect(pinnedNodeOf(bigGpu, nodes)).toBe('w2');
    const zoneB = { requiredTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] };
    expect(pinnedNodeOf(zoneB, nodes)).toBe('w3');
  });

  it('does not pin when several nodes, or none, satisfy the constraints', () => {
    expect(pinnedNodeOf({ nodeSelector: { zone: 'a' } }, nodes)).toBeNull();
    expect(pinnedNodeOf({ nodeSelector: { [HOSTNAME]: 'gone' } }, nodes)).toBeNull();
    expect(pinnedNodeOf(undefined, nodes)).toBeNull();
  });

  it('ORs the terms and ANDs the selector with them', () => {
    const terms = [
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
      { matchExpressions: [{ key: 'gpus', operator: 'Lt', values: ['4'] }] },
    ];
    expect(pinnedNodeOf({ requiredTerms: terms }, nodes)).toBeNull();
    expect(pinnedNodeOf({ requiredTerms: terms, nodeSelector: { zone: 'a' } }, nodes)).toBe('w1');
  });
});

describe('admits', () => {
  it('matches no node with an empty term, as the API defines it', () => {
    expect(admits({ requiredTerms: [{}] }, nodes[0]!)).toBe(false);
  });

  it('reads Exists and DoesNotExist on the label key', () => {
    const hasGpus = { requiredTerms: [{ matchExpressions: [{ key: 'gpus', operator: 'Exists' }] }] };
    const noGpus = { requiredTerms: [{ matchExpressions: [{ key: 'gpus', operator: 'DoesNotExist' }] }] };
    expect(nodes.map((n) => admits(hasGpus, n))).toEqual([true, true, false]);
    expect(pinnedNodeOf(noGpus, nodes)).toBe('w3');
  });

  it('never matches Gt or Lt on a label that is not an integer, nor an unknown operator', () => {
    const weird: LabelledNode = { name: 'w4', labels: { gpus: 'many' } };
    expect(
      admits({ requiredTerms: [{ matchExpressions: [{ key: 'gpus', operator: 'Gt', values: ['1'] }] }] }, weird),
    ).toBe(false);
    expect(
      admits({ requiredTerms: [{ matchExpressions: [{ key: 'gpus', operator: 'Like', values: ['m'] }] }] }, weird),
    ).toBe(false);
  });
});
