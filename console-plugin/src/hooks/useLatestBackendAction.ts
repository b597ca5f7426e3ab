import { useCallback, useEffect, useRef, useState } from 'react';

/** One call of a backend action: the state while it runs, and the state each way it can end. */
export type BackendActionCall<S, T> = {
  running: S;
  call: () => Promise<T>;
  answered: (answer: T) => S;
  failed: (error: unknown) => S;
  /**
   * When `onFinished` runs after this call ends (without it: never). `latest`: only while the call is
   * still the latest one; `always`: also once superseded, for a change made whether or not anyone still looks.
   */
  finished?: 'latest' | 'always';
};

export type LatestBackendAction<S> = {
  state: S;
  /** Starts a call; it supersedes any call still in flight, whose answer is then ignored. */
  run: <T>(step: BackendActionCall<S, T>) => void;
  /** Back to the idle state; a call still in flight is ignored when it answers. */
  reset: () => void;
};

/**
 * A backend action the admin starts (and may start again) from the page: only the latest call's
 * answer counts, and none after `reset()` or after the component is gone.
 * `onFinished` runs when a call asks for it, e.g. to read what the action changed again.
 */
export const useLatestBackendAction = <S>(idle: S, onFinished?: () => void): LatestBackendAction<S> => {
  const [state, setState] = useState<S>(idle);
  const idleRef = useRef(idle);
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

  const run = useCallback(<T>({ running, call, answered, failed, finished }: BackendActionCall<S, T>) => {
    const thisCall = ++latestCall.current;
    setState(running);
    const settle = (next: S) => {
      const latest = thisCall === latestCall.current;
      if (latest) setState(next);
      if (finished === 'always' || (finished === 'latest' && latest)) onFinishedRef.current?.();
    };
    call().then(
      (answer) => settle(answered(answer)),
      (error: unknown) => settle(failed(error)),
    );
  }, []);

  const reset = useCallback(() => {
    latestCall.current += 1;
    setState(idleRef.current);
  }, []);

  return { state, run, reset };
};
