import { useCallback, useEffect, useRef, useState } from 'react';

import { backendApi, type OrphanCleanupResult } from '../api/backend';

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

/** `onFinished` runs after the real cleanup answered (or failed), e.g. to refresh the inventory. */
export const useOrphanCleanup = (onFinished?: () => void): OrphanCleanup => {
  const [state, setState] = useState<OrphanCleanupState>({ phase: 'idle' });
  // Each call gets a number; an answer counts only while its call is still the latest one.
  const latestCall = useRef(0);
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  });
  useEffect(
    () => () => {
      latestCall.current += 1;
    },
    [],
  );

  const preview = useCallback((vmIds: string[]) => {
    const call = ++latestCall.current;
    setState({ phase: 'previewing', vmIds });
    backendApi.cleanupVms({ vmIds, dryRun: true }).then(
      (answer) => {
        if (call === latestCall.current) setState({ phase: 'previewed', preview: answer });
      },
      (error: unknown) => {
        if (call === latestCall.current) setState({ phase: 'failed', step: 'preview', error });
      },
    );
  }, []);

  const confirm = useCallback((approved: OrphanCleanupResult) => {
    const vmIds = approvedVmIds(approved);
    if (vmIds.length === 0) return;
    const call = ++latestCall.current;
    setState({ phase: 'deleting', preview: approved });
    // The dry run's confirmation binds this call to what the admin saw: these VMs, this user, now.
    backendApi.cleanupVms({ vmIds, dryRun: false, confirmation: approved.confirmation ?? undefined }).then(
      (result) => {
        if (call === latestCall.current) setState({ phase: 'done', preview: approved, result });
        onFinishedRef.current?.();
      },
      (error: unknown) => {
        if (call === latestCall.current) setState({ phase: 'failed', step: 'delete', error, preview: approved });
        onFinishedRef.current?.();
      },
    );
  }, []);

  const reset = useCallback(() => {
    latestCall.current += 1;
    setState({ phase: 'idle' });
  }, []);

  return { state, preview, confirm, reset };
};
