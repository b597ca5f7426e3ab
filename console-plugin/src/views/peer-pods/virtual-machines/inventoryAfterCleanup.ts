// What the table shows between a cleanup's answer and the next inventory: the listing it showed
// was taken before the deletions, so the VMs they removed are shown as being deleted, not running.
import type { OrphanCleanupResult, VmInventory } from '../../../api/backend';

/** The VMs a cleanup deleted, and which listing (its fetchedAt) was on screen when it answered. */
export type FinishedCleanup = { deletedIds: ReadonlySet<string>; listedAt: string | null };

export const finishedCleanupOf = (result: OrphanCleanupResult, shown: VmInventory): FinishedCleanup => ({
  deletedIds: new Set(result.results.filter((outcome) => outcome.outcome === 'deleted').map((outcome) => outcome.id)),
  listedAt: shown.fetchedAt,
});

/**
 * The inventory with the cleanup's VMs as being deleted (no longer orphans to select), as long as
 * it is the listing taken before the cleanup; a later listing is the backend's word, taken after it.
 */
export const inventoryAfterCleanup = (
  inventory: VmInventory,
  cleanup: FinishedCleanup | undefined,
  reason: string,
): VmInventory => {
  if (!cleanup || cleanup.deletedIds.size === 0 || inventory.fetchedAt !== cleanup.listedAt) return inventory;
  return {
    ...inventory,
    vms: inventory.vms.map((vm) =>
      cleanup.deletedIds.has(vm.id) && vm.state !== 'deleted'
        ? { ...vm, state: 'deleting', orphan: false, orphanReason: reason }
        : vm,
    ),
  };
};
