import { describe, expect, it } from 'vitest';
import { checkCapacityWriters } from './capacity-writers.ts';

const resource = 'kata.peerpods.io/vm';
const node = (name: string, otherWriters: string[] = [], flaps = 0) => ({ name, otherWriters, flaps });

describe('checkCapacityWriters', () => {
  it('passes when only the reconciler writes the resource', () => {
    const result = checkCapacityWriters({ synced: true, extendedResource: resource, nodes: [node('a'), node('b')] });
    expect(result).toEqual({
      status: 'pass',
      found: expect.objectContaining({
        message: 'No other field manager writes kata.peerpods.io/vm on the nodes this console manages.',
      }),
      fix: null,
    });
  });

  it('warns naming the writer, its nodes (most flaps first), the flaps and what to do', () => {
    const result = checkCapacityWriters({
      synced: true,
      extendedResource: resource,
      nodes: [node('a', ['manager'], 1), node('b'), node('c', ['manager'], 3)],
    });
    expect(result.status).toBe('warning');
    expect(result.fix).toEqual({ kind: 'action', action: 'open-capacity' });
    expect(result.found).toMatchObject({
      key: 'capacityOtherWriters',
      values: { writers: 'manager', resource, number: 2, nodes: 'c, a', flaps: 4 },
    });
    expect(result.found.message).toContain(
      'manager also writes kata.peerpods.io/vm, on 2 nodes (c, a), and changed it away from the limit 4 times',
    );
    expect(result.found.message).toContain('use node overrides only to raise a limit');
  });

  it('names every writer once', () => {
    const result = checkCapacityWriters({
      synced: true,
      extendedResource: resource,
      nodes: [node('a', ['manager']), node('b', ['kubectl-patch', 'manager'])],
    });
    expect(result.found.values.writers).toBe('kubectl-patch, manager');
  });

  it('warns while the model has not read the nodes yet', () => {
    expect(checkCapacityWriters({ synced: false, extendedResource: resource, nodes: [] }).found.key).toBe(
      'capacityNotSynced',
    );
  });
});
