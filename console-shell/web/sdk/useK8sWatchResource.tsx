// useK8sWatchResource and useK8sWatchResources with the console's return values: `[undefined,
// true, undefined]` for a null resource; `[[] or {}, false, undefined]` until the first read;
// NoModelError (loaded) when discovery has no such kind; then the watch's data, loaded flag and
// loadError (an HttpError carrying `code` and `json`).
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type {
  K8sModel,
  K8sResourceCommon,
  ResourcesObject,
  UseK8sWatchResource,
  UseK8sWatchResources,
  WatchK8sResource,
  WatchK8sResults,
} from '@openshift-console/dynamic-plugin-sdk';
import { NoModelError } from './errors';
import { cachedK8sModel, getK8sModel, modelKeyOf, useK8sModel } from './k8sModels';
import { acquireWatch, getWatchState, releaseWatch, subscribeToWatches, watchIdOf, type WatchState } from './k8sWatch';

/** Keeps the previous value while the new one is deeply equal (the console's useDeepCompareMemoize). */
const useDeepCompareMemoize = <T,>(value: T): T => {
  const ref = useRef<{ json: string; value: T }>(undefined);
  const json = JSON.stringify(value ?? null);
  if (!ref.current || ref.current.json !== json) ref.current = { json, value };
  return ref.current.value;
};

export const useK8sWatchResource: UseK8sWatchResource = <R extends K8sResourceCommon | K8sResourceCommon[]>(
  initResource: WatchK8sResource | null,
) => {
  const resource = useDeepCompareMemoize(initResource);
  const [model, inFlight] = useK8sModel(resource?.groupVersionKind ?? resource?.kind);
  const id = resource && model ? watchIdOf(model, resource) : null;

  useEffect(() => {
    if (!id || !resource || !model) return;
    acquireWatch(id, model, resource);
    return () => releaseWatch(id);
  }, [id]);

  const state = useSyncExternalStore(subscribeToWatches, () => (id ? getWatchState(id) : undefined));

  return useMemo(() => {
    if (!resource) return [undefined, true, undefined];
    if (!state) {
      const data = resource.isList ? [] : {};
      return !inFlight && !model ? [data, true, new NoModelError()] : [data, false, undefined];
    }
    return [state.data, state.loaded, state.loadError];
  }, [resource, state, inFlight, model]) as [R, boolean, unknown];
};

/** Resolves the models of several resources, re-rendering when each arrives. */
const useModelsFor = (resources: WatchK8sResource[]): { models: (K8sModel | undefined)[]; inFlight: boolean[] } => {
  const [, setResolved] = useState(0);
  const keys = resources.map((r) => modelKeyOf(r.groupVersionKind ?? r.kind));
  const cached = keys.map((k) => (k ? cachedK8sModel(k) : null));
  const missing = keys.filter((k, i) => k && cached[i] === undefined);
  const missingKey = JSON.stringify(missing);
  useEffect(() => {
    if (missing.length === 0) return;
    let active = true;
    Promise.allSettled(missing.map((k) => getK8sModel(k!))).then(() => active && setResolved((n) => n + 1));
    return () => {
      active = false;
    };
  }, [missingKey]);
  return { models: cached.map((m) => m ?? undefined), inFlight: cached.map((m) => m === undefined) };
};

export const useK8sWatchResources: UseK8sWatchResources = <R extends ResourcesObject>(initResources: {
  [k in keyof R]: WatchK8sResource;
}) => {
  const resources = useDeepCompareMemoize(initResources);
  const names = Object.keys(resources ?? {});
  const list = names.map((n) => resources[n as keyof R]);
  const { models, inFlight } = useModelsFor(list);
  const ids = list.map((r, i) => (models[i] ? watchIdOf(models[i]!, r) : null));
  const idsKey = JSON.stringify(ids);

  useEffect(() => {
    const acquired: string[] = [];
    ids.forEach((id, i) => {
      if (!id) return;
      acquireWatch(id, models[i]!, list[i]!);
      acquired.push(id);
    });
    return () => acquired.forEach(releaseWatch);
  }, [idsKey]);

  // One snapshot object per combination of watch states, so that React sees a stable value.
  const cache = useRef<{ signature: string; states: (WatchState | undefined)[]; results: WatchK8sResults<R> }>(
    undefined,
  );
  const signature = JSON.stringify([names, ids, inFlight]);
  const getSnapshot = () => {
    const states = ids.map((id) => (id ? getWatchState(id) : undefined));
    if (cache.current?.signature === signature && cache.current.states.every((s, i) => s === states[i])) {
      return cache.current.results;
    }
    const results = {} as WatchK8sResults<R>;
    names.forEach((name, i) => {
      const state = states[i];
      const resource = list[i]!;
      const data = resource.isList ? [] : {};
      (results as Record<string, unknown>)[name] = state
        ? { data: state.data, loaded: state.loaded, loadError: state.loadError }
        : !inFlight[i] && !models[i]
          ? { data, loaded: true, loadError: new NoModelError() }
          : { data, loaded: false, loadError: undefined };
    });
    cache.current = { signature, states, results };
    return results;
  };
  return useSyncExternalStore(subscribeToWatches, getSnapshot);
};
