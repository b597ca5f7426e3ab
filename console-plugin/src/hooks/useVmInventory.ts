import { backendApi, type VmInventory } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

/** The backend takes a cloud inventory every minute; asking twice as often keeps the table current. */
export const VM_INVENTORY_POLL_MS = 30_000;

export type VmInventoryState = {
  inventory: VmInventory | undefined;
  /** true once the first answer (inventory or error) arrived */
  loaded: boolean;
  /** The request failed (HTTP error); a cloud failure arrives as `inventory.error` instead. */
  error: unknown;
  refresh: () => void;
  refreshing: boolean;
};

/** The peer-pod VMs in the cloud, correlated with pods, PeerPods and nodes by the backend. */
export const useVmInventory = (): VmInventoryState => {
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(backendApi.vms, 'vms', {
    pollMs: VM_INVENTORY_POLL_MS,
  });
  return { inventory: data, loaded, error, refresh, refreshing };
};
