import { useCallback, useRef } from 'react';

import { backendApi, type CapacityRoom } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

/** How often the room is read again; the backend caches the cloud's quotas for minutes anyway. */
export const ROOM_POLL_MS = 60_000;

export type CapacityRoomState = {
  room: CapacityRoom | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
  /** A read is in flight (also on refresh). */
  refreshing: boolean;
};

/**
 * What the cloud account has room for: the sizes peer pods get, the vCPU quotas they count against,
 * and the promise of the limits (GET /capacity/room). `enabled` false (a user who may not read the
 * cloud) reads nothing.
 */
export const useCapacityRoom = (enabled = true): CapacityRoomState => {
  // Refresh is a person asking for the cloud as it is now: that one read skips the backend's quota cache.
  const fresh = useRef(false);
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(
    enabled
      ? () => {
          const now = fresh.current;
          fresh.current = false;
          return backendApi.room({ fresh: now });
        }
      : null,
    'capacity-room',
    { pollMs: ROOM_POLL_MS },
  );
  const refreshNow = useCallback(() => {
    fresh.current = true;
    refresh();
  }, [refresh]);
  // A failed poll after a good answer keeps the last reading.
  return { room: data, loaded, error: data ? undefined : error, refresh: refreshNow, refreshing };
};
