import { useTranslation } from 'react-i18next';
import type { StuckReason, StuckStage } from '@peer-pods-console/contract/operations';

export type StuckText = {
  stage: (stage: StuckStage) => string;
  reason: (reason: StuckReason) => string;
  /** What the reason means and where it was read. */
  reasonExplanation: (reason: StuckReason) => string;
};

/** The stuck list's vocabulary (contract/src/operations.ts) in the user's language. */
export const useStuckText = (): StuckText => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const stages: Record<StuckStage, string> = {
    pending: t('Pending'),
    sandbox: t('Sandbox not starting'),
  };
  const reasons: Record<StuckReason, [string, string]> = {
    capacity: [
      t('No free VM'),
      t('No node (or not the node the pod is pinned to) has a peer pod VM free under its limit.'),
    ],
    scheduling: [
      t('Cannot be scheduled'),
      t('The scheduler found no node for another reason: taints, node selectors, affinity or other resources.'),
    ],
    quota: [t('Cloud quota used up'), t('The cloud account has used up a quota: vCPUs, instances or cores.')],
    'cloud-capacity': [
      t('No cloud capacity'),
      t('The cloud has no capacity for this instance size in the zone or region right now.'),
    ],
    'instance-type': [
      t('Instance type not available'),
      t('The instance type or VM size is not allowed, not offered in the region, or not valid.'),
    ],
    image: [t('Pod VM image problem'), t('The pod VM image is not found or cannot be used.')],
    network: [
      t('VM not reachable'),
      t('The node cannot reach the agent in the VM on port 15150, usually because the ports are not open.'),
    ],
    credentials: [
      t('Cloud credentials refused'),
      t('The cloud refused the credentials in the peer pods Secret, or they lack a permission.'),
    ],
    other: [t('Other'), t('A message none of the known causes match; read it below.')],
  };
  return {
    stage: (stage) => stages[stage],
    reason: (reason) => reasons[reason][0],
    reasonExplanation: (reason) => reasons[reason][1],
  };
};
