import { type FC, useState } from 'react';
import { Flex, FlexItem, Stack, StackItem, Title } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { CapacitySummary } from '../../../api/backend';
import LoadingState from '../../../components/LoadingState';
import { useCanEditNodeOverride } from '../../../hooks/useCanEditNodeOverride';
import { useCanEditPeerPodLimit } from '../../../hooks/useCanEditPeerPodLimit';
import { useCapacitySummary } from '../../../hooks/useCapacitySummary';
import { useHistory } from '../../../hooks/useHistory';
import { usePeerPodConfig } from '../../../hooks/usePeerPodConfig';
import HistoryPanel from '../history/HistoryPanel';
import StuckPeerPodsSection from '../stuck/StuckPeerPodsSection';
import BackendErrorAlert from './BackendErrorAlert';
import CapacityTotals from './CapacityTotals';
import CloudRoomCard from './CloudRoomCard';
import EditLimitButton from './limit-editor/EditLimitButton';
import LimitEditorModal from './limit-editor/LimitEditorModal';
import NodeOverrideModal from './limit-editor/NodeOverrideModal';
import LiveIndicator from './LiveIndicator';
import NodeCapacityTable from './NodeCapacityTable';
import { clusterOtherWritersOf, isPeerPodNode } from './nodeCapacityRows';
import NoPeerPodConfigState from './NoPeerPodConfigState';
import OtherWritersAlert from './OtherWritersAlert';
import PeerPodConfigLoadError from './PeerPodConfigLoadError';
import PeerPodConfigSummary from './PeerPodConfigSummary';
import PendingPeerPodsList from './PendingPeerPodsList';
import UnaccountedPeerPodsList from './UnaccountedPeerPodsList';

/** Without a PeerPodConfig the capacity section shows only when something still runs or advertises. */
const hasPeerPodActivity = (summary: CapacitySummary | undefined): boolean =>
  !!summary && (summary.nodes.some(isPeerPodNode) || summary.pending.length > 0 || summary.unaccounted.length > 0);

/**
 * Capacity tab: the PeerPodConfig (watched from the API server, with the limit editor) and the
 * backend's live capacity model — cluster totals, the node table, pending, unaccounted and stuck peer
 * pods — and the history of changes.
 */
const CapacityTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const config = usePeerPodConfig();
  const capacity = useCapacitySummary();
  const limitAccess = useCanEditPeerPodLimit();
  const overrideAccess = useCanEditNodeOverride();
  const [editingLimit, setEditingLimit] = useState(false);
  const [overrideNode, setOverrideNode] = useState<string>();
  const history = useHistory();

  const { peerPodConfig } = config;
  const noConfig = config.loaded && !config.loadError && !peerPodConfig;
  const showCapacity = !noConfig || hasPeerPodActivity(capacity.summary);
  const nodes = capacity.summary?.nodes;

  return (
    <Stack hasGutter>
      <StackItem>
        {config.loadError ? (
          <PeerPodConfigLoadError error={config.loadError} />
        ) : !config.loaded ? (
          <LoadingState label={t('Loading the PeerPodConfig')} />
        ) : !peerPodConfig ? (
          <NoPeerPodConfigState />
        ) : (
          <Flex
            justifyContent={{ default: 'justifyContentSpaceBetween' }}
            alignItems={{ default: 'alignItemsFlexStart' }}
          >
            <FlexItem>
              <PeerPodConfigSummary peerPodConfig={peerPodConfig} />
            </FlexItem>
            <FlexItem>
              <EditLimitButton access={limitAccess} onClick={() => setEditingLimit(true)} />
            </FlexItem>
          </Flex>
        )}
      </StackItem>
      {showCapacity && (
        <>
          <StackItem>
            <Flex
              justifyContent={{ default: 'justifyContentSpaceBetween' }}
              alignItems={{ default: 'alignItemsCenter' }}
            >
              <FlexItem>
                <Title headingLevel="h2" size="lg">
                  {t('Capacity')}
                </Title>
              </FlexItem>
              {capacity.summary && (
                <FlexItem>
                  <LiveIndicator live={capacity.live} updatedAt={capacity.summary.generatedAt} />
                </FlexItem>
              )}
            </Flex>
          </StackItem>
          {capacity.error !== undefined ? (
            <StackItem>
              <BackendErrorAlert error={capacity.error} onRetry={capacity.refresh} />
            </StackItem>
          ) : !capacity.summary ? (
            <StackItem>
              <LoadingState label={t('Loading peer pod capacity')} />
            </StackItem>
          ) : (
            <>
              {clusterOtherWritersOf(capacity.summary.totals).length > 0 && (
                <StackItem>
                  <OtherWritersAlert
                    writers={clusterOtherWritersOf(capacity.summary.totals)}
                    nodes={capacity.summary.totals.otherWriterNodes}
                    flaps={capacity.summary.totals.flaps}
                    extendedResource={capacity.summary.extendedResource}
                  />
                </StackItem>
              )}
              <StackItem>
                <CapacityTotals summary={capacity.summary} />
              </StackItem>
              {peerPodConfig && (
                <StackItem>
                  <CloudRoomCard
                    peerPodConfig={peerPodConfig}
                    capacityKey={`${capacity.summary.totals.desired}/${capacity.summary.totals.used}`}
                  />
                </StackItem>
              )}
              <StackItem>
                <Title headingLevel="h2" size="lg">
                  {t('Nodes')}
                </Title>
              </StackItem>
              <StackItem>
                <NodeCapacityTable
                  nodes={capacity.summary.nodes}
                  overrideAccess={overrideAccess}
                  onEditOverride={setOverrideNode}
                />
              </StackItem>
              <StackItem>
                <PendingPeerPodsList
                  pending={capacity.summary.pending}
                  extendedResource={capacity.summary.extendedResource}
                  podNames={capacity.summary.podNames}
                  nodes={capacity.summary.nodes}
                  onEditOverride={overrideAccess.allowed ? setOverrideNode : undefined}
                  onRaiseLimit={peerPodConfig && limitAccess.allowed ? () => setEditingLimit(true) : undefined}
                />
              </StackItem>
              <StackItem>
                <UnaccountedPeerPodsList
                  unaccounted={capacity.summary.unaccounted}
                  extendedResource={capacity.summary.extendedResource}
                  podNames={capacity.summary.podNames}
                />
              </StackItem>
              <StackItem>
                <StuckPeerPodsSection
                  peerPodConfig={peerPodConfig}
                  onRaiseLimit={peerPodConfig ? () => setEditingLimit(true) : undefined}
                  limitAccess={limitAccess}
                  onRaiseOverride={setOverrideNode}
                  overrideAccess={overrideAccess}
                />
              </StackItem>
              <StackItem>
                <HistoryPanel history={history} />
              </StackItem>
            </>
          )}
        </>
      )}
      {editingLimit && peerPodConfig && (
        <LimitEditorModal
          peerPodConfig={peerPodConfig}
          nodes={nodes}
          clusterCapacity={capacity}
          onClose={() => {
            setEditingLimit(false);
            history.refresh();
          }}
        />
      )}
      {overrideNode && (
        <NodeOverrideModal
          nodeName={overrideNode}
          capacity={nodes?.find((node) => node.name === overrideNode)}
          clusterCapacity={capacity}
          onClose={() => {
            setOverrideNode(undefined);
            history.refresh();
          }}
        />
      )}
    </Stack>
  );
};

export default CapacityTab;
