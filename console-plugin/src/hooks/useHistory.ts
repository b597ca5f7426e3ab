import { backendApi, type HistoryEntry } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

/** How often the History panel is read again; changes made here refresh it at once. */
export const HISTORY_POLL_MS = 30_000;

export type HistoryState = {
  entries: HistoryEntry[] | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
  refreshing: boolean;
};

/** Recent limit, override, port-rule and cleanup changes, newest first, from the console and from outside it. */
export const useHistory = (): HistoryState => {
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(backendApi.history, 'history', {
    pollMs: HISTORY_POLL_MS,
  });
  return { entries: data?.entries, loaded, error: data ? undefined : error, refresh, refreshing };
};
