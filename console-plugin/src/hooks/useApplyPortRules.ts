import { useCallback } from 'react';

import { backendApi, type PortRulesApplyResult, type PortRulesReport } from '../api/backend';
import { useLatestBackendAction } from './useLatestBackendAction';

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
  const { state, run, reset } = useLatestBackendAction<ApplyPortRulesState>({ phase: 'idle' }, onFinished);

  const apply = useCallback(
    (includeUdp: boolean, planned: PortRule[]) =>
      run({
        running: { phase: 'applying', planned },
        call: () => backendApi.applyPorts(includeUdp),
        answered: (result) => ({ phase: 'applied', planned, result }),
        failed: (error) => ({ phase: 'failed', planned, error }),
        finished: 'latest',
      }),
    [run],
  );

  return { state, apply, reset };
};
