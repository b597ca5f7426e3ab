import { useCallback, useEffect, useRef, useState } from 'react';

export type BackendQueryState<T> = {
  data: T | undefined;
  /** true once the first answer (data or error) arrived */
  loaded: boolean;
  error: unknown;
  /** Ask again; the previous data stays visible until the new answer arrives. */
  refresh: () => void;
  /** true while a request is in flight (also on refresh) */
  refreshing: boolean;
};

/**
 * Runs a backend read (one of `backendApi`'s functions) when the component mounts, when `key`
 * changes, on `refresh()`, and every `pollMs` if given. Answers of superseded requests are dropped.
 * Pass `fetcher: null` to fetch nothing.
 */
export const useBackendQuery = <T>(
  fetcher: (() => Promise<T>) | null,
  key: string,
  options: { pollMs?: number } = {},
): BackendQueryState<T> => {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loaded, setLoaded] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [generation, setGeneration] = useState(0);
  const fetcherRef = useRef(fetcher);
  useEffect(() => {
    fetcherRef.current = fetcher;
  });
  const enabled = fetcher !== null;

  useEffect(() => {
    // Read the fetcher given with this render: `key` says when it changed meaning.
    const run = fetcherRef.current;
    if (!run) return undefined;
    let current = true;
    setRefreshing(true);
    run().then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(undefined);
        setLoaded(true);
        setRefreshing(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(failure);
        setLoaded(true);
        setRefreshing(false);
      },
    );
    return () => {
      current = false;
    };
  }, [key, generation, enabled]);

  useEffect(() => {
    if (!options.pollMs || !enabled) return undefined;
    const timer = setInterval(() => setGeneration((value) => value + 1), options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, enabled]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, loaded, error, refresh, refreshing };
};
