import { node } from '../../../test/fixtures';
import { nodeVmCapacities, nodeVmCapacity } from './nodeVmCapacity';

describe('nodeVmCapacity', () => {
  it('reports a node that advertises the limit in capacity and allocatable as advertised', () => {
    expect(nodeVmCapacity(node('worker-a', { vmCapacity: '10', vmAllocatable: '10' }), '10')).toEqual({
      name: 'worker-a',
      capacity: '10',
      allocatable: '10',
      status: 'advertised',
    });
  });

  it('reports a node without the extended resource as not advertised', () => {
    expect(nodeVmCapacity(node('worker-a'), '10').status).toBe('not-advertised');
  });

  it('reports a node whose capacity differs from the limit', () => {
    expect(nodeVmCapacity(node('worker-a', { vmCapacity: '4', vmAllocatable: '4' }), '10').status).toBe(
      'differs-from-limit',
    );
  });

  it('reports a node whose allocatable has not caught up with its capacity as differing', () => {
    expect(nodeVmCapacity(node('worker-a', { vmCapacity: '10' }), '10').status).toBe('differs-from-limit');
  });

  it('accepts any advertised amount when the PeerPodConfig sets no limit', () => {
    expect(nodeVmCapacity(node('worker-a', { vmCapacity: '3', vmAllocatable: '3' }), undefined).status).toBe(
      'advertised',
    );
  });

  it('sorts nodes by name', () => {
    const names = nodeVmCapacities([node('worker-c'), node('worker-a'), node('worker-b')], '10').map((row) => row.name);
    expect(names).toEqual(['worker-a', 'worker-b', 'worker-c']);
  });
});
