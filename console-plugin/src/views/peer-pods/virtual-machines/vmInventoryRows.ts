// Filtering and sorting of the VM inventory table, kept pure so the rules are testable on their own.
import type { VmInventory } from '../../../api/backend';

export type InventoryVm = VmInventory['vms'][number];

export type VmSortColumn = 'name' | 'state' | 'instanceType' | 'zone' | 'image' | 'launchedAt' | 'node' | 'status';
export type SortDirection = 'asc' | 'desc';

export type VmFilters = {
  /** Matched, case-insensitively, against name, id, instance type, zone, image, pod, node and PeerPod. */
  text: string;
  orphansOnly: boolean;
};

const searchableText = (vm: InventoryVm): string =>
  [
    vm.name,
    vm.id,
    vm.instanceType ?? '',
    vm.zone ?? '',
    vm.image ?? '',
    vm.pod ? `${vm.pod.namespace}/${vm.pod.name}` : '',
    vm.nodeName ?? '',
    vm.peerPod ? `${vm.peerPod.namespace}/${vm.peerPod.name}` : '',
  ]
    .join('\n')
    .toLowerCase();

export const filterVms = (vms: readonly InventoryVm[], { text, orphansOnly }: VmFilters): InventoryVm[] => {
  const needle = text.trim().toLowerCase();
  return vms.filter((vm) => (!orphansOnly || vm.orphan) && (!needle || searchableText(vm).includes(needle)));
};

/** Orphans first, then VMs not claimed yet (with a reason), then VMs in use. */
const statusRank = (vm: InventoryVm): number => (vm.orphan ? 0 : vm.orphanReason ? 1 : 2);

const sortValue = (vm: InventoryVm, column: VmSortColumn): string | number => {
  switch (column) {
    case 'name':
      return vm.name;
    case 'state':
      return vm.state;
    case 'instanceType':
      return vm.instanceType ?? '';
    case 'zone':
      return vm.zone ?? '';
    case 'image':
      return vm.image ?? '';
    case 'launchedAt':
      return vm.launchedAt ? Date.parse(vm.launchedAt) : 0;
    case 'node':
      return vm.nodeName ?? '';
    case 'status':
      return statusRank(vm);
  }
};

const compareValues = (a: string | number, b: string | number): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a).localeCompare(String(b), undefined, { numeric: true });

/** A stable sort; ties keep the VM name order so rows do not jump between refreshes. */
export const sortVms = (vms: readonly InventoryVm[], column: VmSortColumn, direction: SortDirection): InventoryVm[] => {
  const sign = direction === 'asc' ? 1 : -1;
  return [...vms].sort(
    (a, b) => sign * compareValues(sortValue(a, column), sortValue(b, column)) || a.name.localeCompare(b.name),
  );
};
