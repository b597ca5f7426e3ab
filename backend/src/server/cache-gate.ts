// The informer caches some API routes read. Readiness does not wait for them (the webhook, on the
// same pod and behind the same readiness, uses none), so a route whose caches are still loading
// answers 503 with Retry-After and names them, instead of serving a half-listed cluster.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './errors.ts';

export type CacheName = 'nodes' | 'peerPodConfigs' | 'pods' | 'peerPods';

export interface CacheStatus {
  /** Of `names`, the caches without a complete listing yet, in words ("pods", "PeerPods"). */
  loading(names: readonly CacheName[]): string[];
}

/** The capacity model is built from all four. */
export const CAPACITY_CACHES: readonly CacheName[] = ['nodes', 'peerPodConfigs', 'pods', 'peerPods'];
/** A VM is claimed by a pod or a PeerPod: without both listings every VM would look orphaned. */
export const CLAIM_CACHES: readonly CacheName[] = ['pods', 'peerPods'];

/** Informer start-up is seconds on a small cluster, tens of seconds on a large one. */
export const CACHE_RETRY_AFTER_SECONDS = 5;

export function cachesLoadingError(loading: readonly string[]): ApiError {
  const what = loading.length === 1 ? loading[0] : `${loading.slice(0, -1).join(', ')} and ${loading.at(-1)}`;
  return new ApiError(
    503,
    'not_ready',
    `the backend is still loading ${what} from the API server (it has just started, or cannot list them); try again in a few seconds`,
  );
}

/** Middleware: 503 + Retry-After while any of `names` is loading. Without a status, every cache counts as loaded. */
export function requireCaches(status: CacheStatus | undefined, names: readonly CacheName[]) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const loading = status?.loading(names) ?? [];
    if (loading.length === 0) return next();
    res.setHeader('Retry-After', String(CACHE_RETRY_AFTER_SECONDS));
    next(cachesLoadingError(loading));
  };
}
