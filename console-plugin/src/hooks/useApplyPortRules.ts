import { useCallback, useEffect, useRef, useState } from 'react';

import { backendApi, type PortRulesApplyResult, type PortRulesReport } from '../api/backend';

type PortRule = PortRulesReport['rules'][number];

/** `planned`: the rules that needed a change when the admin pressed apply, for per-rule progress. */
export type ApplyPortRulesState =
  | { phase: 'idle' }
  | { phase: 'applying'; planned: PortRule[] }
  | { phase: 'applied'; planned: PortRule[]; result: PortRulesApplyResult }
  | { phase: 'failed'; planned: PortRule[]; error: unknown };

export type ApplyPortRules = {
  state: ApplyPortRulesState;
  /** Creates the missing rules as the signed-in user, then reads them back (`result.verified`). */
  apply: (includeUdp: boolean, planned: PortRule[]) => void;
  /** Forgets the last outcome; a call still in flight is ignored when it answers. */
  reset: () => void;
};

/** `onFinished` runs once the backend answered (or failed), e.g. to read the rule status again. */
export const useApplyPortRules = (onFinished?: () => void): ApplyPortRules => {
  const [state, setState] = useState<ApplyPortRulesState>({ phase: 'idle' });
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

  const apply = useCallback((includeUdp: boolean, planned: PortRule[]) => {
    const call = ++latestCall.current;
    setState({ phase: 'applying', planned });
    backendApi.applyPorts(includeUdp).then(
      (result) => {
        if (call !== latestCall.current) return;
        setState({ phase: 'applied', planned, result });
        onFinishedRef.current?.();
      },
      (error: unknown) => {
        if (call !== latestCall.current) return;
        setState({ phase: 'failed', planned, error });
        onFinishedRef.current?.();
      },
    );
  }, []);

  const reset = useCallback(() => {
    latestCall.current += 1;
    setState({ phase: 'idle' });
  }, []);

  return { state, apply, reset };
};
