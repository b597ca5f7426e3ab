import { useCallback, useEffect, useRef } from 'react';

import { backendApi, type OrphanCleanupResult } from '../api/backend';
import { useLatestBackendAction } from './useLatestBackendAction';

/**
 * The guarded cleanup, step by step: a dry run for the VMs the admin selected, then — only after the
 * admin confirms — the real call for exactly the VMs the dry run said it would delete.
 */
export type OrphanCleanupState =
  | { phase: 'idle' }
  | { phase: 'previewing'; vmIds: string[] }
  | { phase: 'previewed'; preview: OrphanCleanupResult }
  | { phase: 'deleting'; preview: OrphanCleanupResult }
  | { phase: 'done'; preview: OrphanCleanupResult; result: OrphanCleanupResult }
  | { phase: 'failed'; step: 'preview' | 'delete'; error: unknown; preview?: OrphanCleanupResult };

export type OrphanCleanup = {
  state: OrphanCleanupState;
  /** Asks the backend what a cleanup of these VMs would do; deletes nothing. */
  preview: (vmIds: string[]) => void;
  /** Deletes the VMs the dry run would delete (and no other). */
  confirm: (preview: OrphanCleanupResult) => void;
  /** Back to idle; a call still in flight is ignored when it answers. */
  reset: () => void;
};

/** The ids a confirmed cleanup sends: those the dry run approved. */
export const approvedVmIds = (preview: OrphanCleanupResult): string[] =>
  preview.results.filter((result) => result.outcome === 'would-delete').map((result) => result.id);

/**
 * `onFinished` runs once the real cleanup answered (with its result) or failed (with undefined),
 * also after the modal was closed meanwhile: e.g. to read the inventory again.
 */
export const useOrphanCleanup = (onFinished?: (result: OrphanCleanupResult | undefined) => void): OrphanCleanup => {
  const { state, run, reset } = useLatestBackendAction<OrphanCleanupState>({ phase: 'idle' });
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  });

  const preview = useCallback(
    (vmIds: string[]) =>
      run({
        running: { phase: 'previewing', vmIds },
        call: () => backendApi.cleanupVms({ vmIds, dryRun: true }),
        answered: (answer) => ({ phase: 'previewed', preview: answer }),
        failed: (error) => ({ phase: 'failed', step: 'preview', error }),
      }),
    [run],
  );

  const confirm = useCallback(
    (approved: OrphanCleanupResult) => {
      const vmIds = approvedVmIds(approved);
      if (vmIds.length === 0) return;
      run({
        running: { phase: 'deleting', preview: approved },
        // The dry run's confirmation binds this call to what the admin saw: these VMs, this user, now.
        // VMs may be gone even when the modal was closed meanwhile: whoever shows them hears of it regardless.
        call: () =>
          backendApi.cleanupVms({ vmIds, dryRun: false, confirmation: approved.confirmation ?? undefined }).then(
            (result) => {
              onFinishedRef.current?.(result);
              return result;
            },
            (error: unknown) => {
              onFinishedRef.current?.(undefined);
              throw error;
            },
          ),
        answered: (result) => ({ phase: 'done', preview: approved, result }),
        failed: (error) => ({ phase: 'failed', step: 'delete', error, preview: approved }),
      });
    },
    [run],
  );

  return { state, preview, confirm, reset };
};
