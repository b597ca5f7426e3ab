import { inventoryVm } from '../../../test/fixtures';
import { filterVms, type InventoryVm, sortVms } from './vmInventoryRows';

const vm = inventoryVm;

const names = (vms: InventoryVm[]) => vms.map((entry) => entry.name);

describe('VM inventory rows', () => {
  it('puts orphans first, then VMs not claimed yet, then VMs in use', () => {
    const vms = [
      vm('podvm-used'),
      vm('podvm-young', { orphanReason: 'still within the grace period' }),
      vm('podvm-orphan', { orphan: true, orphanReason: 'nobody claims it' }),
    ];

    expect(names(sortVms(vms, 'status', 'asc'))).toEqual(['podvm-orphan', 'podvm-young', 'podvm-used']);
  });

  it('sorts launch times as times, VMs without one first', () => {
    const vms = [
      vm('podvm-late', { launchedAt: '2025-01-02T00:00:00Z' }),
      vm('podvm-none'),
      vm('podvm-early', { launchedAt: '2025-01-01T00:00:00Z' }),
    ];

    expect(names(sortVms(vms, 'launchedAt', 'asc'))).toEqual(['podvm-none', 'podvm-early', 'podvm-late']);
    expect(names(sortVms(vms, 'launchedAt', 'desc'))).toEqual(['podvm-late', 'podvm-early', 'podvm-none']);
  });

  it('matches the filter text in the pod, node and PeerPod too, ignoring case', () => {
    const vms = [
      vm('podvm-a', { pod: { namespace: 'Shop', name: 'cart' } }),
      vm('podvm-b', { nodeName: 'worker-3' }),
      vm('podvm-c', { peerPod: { namespace: 'shop', name: 'cart-peer' } }),
    ];

    expect(names(filterVms(vms, { text: 'shop/cart', orphansOnly: false }))).toEqual(['podvm-a', 'podvm-c']);
    expect(names(filterVms(vms, { text: 'WORKER-3', orphansOnly: false }))).toEqual(['podvm-b']);
  });
});
