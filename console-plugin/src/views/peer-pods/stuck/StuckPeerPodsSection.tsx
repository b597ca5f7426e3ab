import { type FC, useState } from 'react';
import { Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { StuckPeerPod } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import { usePermissions } from '../../../hooks/usePermissions';
import { useStuckPeerPods } from '../../../hooks/useStuckPeerPods';
import type { StuckFixHandlers } from './StuckFixActions';
import StuckPeerPodsList from './StuckPeerPodsList';
import VmConsoleOutputModal from './VmConsoleOutputModal';

type StuckPeerPodsSectionProps = Omit<StuckFixHandlers, 'onViewConsoleOutput'> & {
  /** Only the peer pods bound or pinned to this node (the Node tab); unset: the whole cluster. */
  nodeName?: string;
  headingLevel?: 'h2' | 'h3';
};

/** The stuck peer pods, read from the backend every few seconds, with their fixes and the VMs' console output. */
const StuckPeerPodsSection: FC<StuckPeerPodsSectionProps> = ({ nodeName, headingLevel = 'h2', ...handlers }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { stuck, error, refresh } = useStuckPeerPods(nodeName);
  const { permissions } = usePermissions();
  const [consoleOutputOf, setConsoleOutputOf] = useState<StuckPeerPod>();
  // The console output is cloud data about a pod: shown to those who may read the VM inventory.
  const mayReadConsoleOutput = permissions?.canReadCloud === true && permissions.canListPods;

  if (!stuck) {
    return (
      <Stack hasGutter>
        <StackItem>
          <Title headingLevel={headingLevel} size="lg">
            {t('Stuck peer pods')}
          </Title>
        </StackItem>
        <StackItem>
          {error !== undefined && error !== null ? (
            <BackendProblemAlert
              title={t('Could not read the stuck peer pods')}
              problem={backendProblemOf(error)}
              forbiddenExplanation={t(
                'Reading the stuck peer pods needs the permission to list nodes in the whole cluster. Ask a cluster administrator for it.',
              )}
              onRetry={refresh}
            />
          ) : (
            <LoadingState label={t('Loading stuck peer pods')} />
          )}
        </StackItem>
      </Stack>
    );
  }

  return (
    <>
      <StuckPeerPodsList
        stuck={stuck}
        showNode={nodeName === undefined}
        headingLevel={headingLevel}
        {...handlers}
        onViewConsoleOutput={mayReadConsoleOutput ? setConsoleOutputOf : undefined}
      />
      {consoleOutputOf?.vmId && (
        <VmConsoleOutputModal
          vmId={consoleOutputOf.vmId}
          podLabel={`${consoleOutputOf.namespace ?? '—'}/${consoleOutputOf.name ?? '—'}`}
          onClose={() => setConsoleOutputOf(undefined)}
        />
      )}
    </>
  );
};

export default StuckPeerPodsSection;
