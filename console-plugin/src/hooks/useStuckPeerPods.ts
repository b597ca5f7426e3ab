import { backendApi, type StuckPeerPods } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

/** How often the stuck list is read again: a pod becomes stuck by time passing, which no event announces. */
export const STUCK_POLL_MS = 10_000;

export type StuckPeerPodsState = {
  stuck: StuckPeerPods | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
};

/** The peer pods stuck Pending or with a sandbox that does not start, of the cluster or of one node. */
export const useStuckPeerPods = (nodeName?: string): StuckPeerPodsState => {
  const { data, loaded, error, refresh } = useBackendQuery(
    () => backendApi.stuck(nodeName),
    `stuck:${nodeName ?? ''}`,
    { pollMs: STUCK_POLL_MS },
  );
  // A failed poll after a good answer keeps the last list rather than hiding it.
  return { stuck: data, loaded, error: data ? undefined : error, refresh };
};
