// What the cloud-api-adaptor creates with each Azure pod VM, by name: the VM, its NIC
// `<name>-net` and its OS disk `<name>-disk`. Deleting the VM leaves the other two unless they
// were set to go with it, so the provider deletes each by these names and the dry run lists them.
import type { CloudResource } from '../module.ts';

export interface PodVmResourceNames {
  vm: string;
  nic: string;
  disk: string;
}

export function podVmResourceNames(vmName: string): PodVmResourceNames {
  return { vm: vmName, nic: `${vmName}-net`, disk: `${vmName}-disk` };
}

/** The resources by these names, in the order the provider deletes them. */
export function podVmResources(vmName: string): CloudResource[] {
  const names = podVmResourceNames(vmName);
  return [
    { kind: 'virtual-machine', name: names.vm },
    { kind: 'network-interface', name: names.nic },
    { kind: 'disk', name: names.disk },
  ];
}
