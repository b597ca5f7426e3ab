import { inventoryVm } from '../../../test/fixtures';
import { filterVms, type InventoryVm, sortVms } from './vmInventoryRows';

const vm = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm =>
  inventoryVm(name, { zone: null, image: null, vcpus: null, memoryMiB: null, ...overrides });

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

  it('matches the filter text in the instance type, zone and image too', () => {
    const vms = [
      vm('podvm-a', { instanceType: 'm6a.large', zone: 'us-east-2a', image: 'ami-0aaa' }),
      vm('podvm-b', { instanceType: 'Standard_DC2as_v5', zone: 'eastus-2', image: 'RedHat:RHEL:9-lvm-gen2:latest' }),
    ];

    expect(names(filterVms(vms, { text: 'M6A', orphansOnly: false }))).toEqual(['podvm-a']);
    expect(names(filterVms(vms, { text: 'eastus-2', orphansOnly: false }))).toEqual(['podvm-b']);
    expect(names(filterVms(vms, { text: 'ami-0aaa', orphansOnly: false }))).toEqual(['podvm-a']);
    expect(names(filterVms(vms, { text: 'rhel:9', orphansOnly: false }))).toEqual(['podvm-b']);
  });

  it('sorts by zone and by image, VMs without one first', () => {
    const vms = [
      vm('podvm-b', { zone: 'us-east-2b', image: 'ami-0bbb' }),
      vm('podvm-none'),
      vm('podvm-a', { zone: 'us-east-2a', image: 'ami-0ccc' }),
    ];

    expect(names(sortVms(vms, 'zone', 'asc'))).toEqual(['podvm-none', 'podvm-a', 'podvm-b']);
    expect(names(sortVms(vms, 'image', 'desc'))).toEqual(['podvm-a', 'podvm-b', 'podvm-none']);
  });
});
