import type { FC } from 'react';
import { Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { usePeerPodConfig } from '../../../hooks/usePeerPodConfig';
import { usePeerPodNodes } from '../../../hooks/usePeerPodNodes';
import type { PeerPodConfigKind } from '../../../models/PeerPodConfig';
import LoadingState from '../../../components/LoadingState';
import NodeCapacityTable from './NodeCapacityTable';
import NoPeerPodConfigState from './NoPeerPodConfigState';
import PeerPodConfigLoadError from './PeerPodConfigLoadError';
import PeerPodConfigSummary from './PeerPodConfigSummary';

/** Capacity tab: the PeerPodConfig's limit and selector, and what the selected nodes advertise. */
const CapacityTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { peerPodConfig, loaded, loadError } = usePeerPodConfig();

  if (loadError) return <PeerPodConfigLoadError error={loadError} />;
  if (!loaded) return <LoadingState label={t('Loading the PeerPodConfig')} />;
  if (!peerPodConfig) return <NoPeerPodConfigState />;
  return <ConfiguredCapacity peerPodConfig={peerPodConfig} />;
};

const ConfiguredCapacity: FC<{ peerPodConfig: PeerPodConfigKind }> = ({ peerPodConfig }) => {
  // No nodeSelector selects every node, as an empty label selector does in Kubernetes.
  const nodeSelector = peerPodConfig.spec.nodeSelector ?? {};
  const { nodes, loaded, loadError } = usePeerPodNodes(nodeSelector);
  return (
    <Stack hasGutter>
      <StackItem>
        <PeerPodConfigSummary peerPodConfig={peerPodConfig} />
      </StackItem>
      <StackItem>
        <NodeCapacityTable
          nodes={nodes}
          loaded={loaded}
          loadError={loadError}
          limit={peerPodConfig.spec.limit}
          nodeSelector={nodeSelector}
        />
      </StackItem>
    </Stack>
  );
};

export default CapacityTab;
