import { type FC, useState } from 'react';
import type { PageComponentProps } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Button, Flex, FlexItem, PageSection, Stack, StackItem, Title, Tooltip } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import LoadingState from '../../components/LoadingState';
import { useCanEditNodeOverride } from '../../hooks/useCanEditNodeOverride';
import { useCanEditPeerPodLimit } from '../../hooks/useCanEditPeerPodLimit';
import { useCapacityRoom } from '../../hooks/useCapacityRoom';
import { useNodeCapacity } from '../../hooks/useNodeCapacity';
import { useNodePeerPods } from '../../hooks/useNodePeerPods';
import { usePeerPodConfig } from '../../hooks/usePeerPodConfig';
import { usePermissions } from '../../hooks/usePermissions';
import { isNotFoundError } from '../../k8s/loadErrors';
import type { NodeKind } from '../../models/Node';
import { PEER_POD_VM_RESOURCE } from '../../models/PeerPodConfig';
import BackendErrorAlert from '../peer-pods/capacity/BackendErrorAlert';
import LimitEditorModal from '../peer-pods/capacity/limit-editor/LimitEditorModal';
import NodeOverrideModal from '../peer-pods/capacity/limit-editor/NodeOverrideModal';
import UnaccountedPeerPodsList from '../peer-pods/capacity/UnaccountedPeerPodsList';
import StuckPeerPodsSection from '../peer-pods/stuck/StuckPeerPodsSection';
import NodeCapacityDetails from './NodeCapacityDetails';
import NodePeerPodsTable from './NodePeerPodsTable';
import NodeVmsTable from './NodeVmsTable';

/** Node details → Peer pods: this node's VM limit and use, its override, its peer pods, stuck ones and VMs. */
const NodePeerPodsTab: FC<PageComponentProps<NodeKind>> = ({ obj }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const name = obj?.metadata?.name;
  const capacity = useNodeCapacity(name);
  const pods = useNodePeerPods(name);
  const overrideAccess = useCanEditNodeOverride(name);
  const [editingOverride, setEditingOverride] = useState(false);
  const { peerPodConfig } = usePeerPodConfig();
  const limitAccess = useCanEditPeerPodLimit();
  const [editingLimit, setEditingLimit] = useState(false);
  const node = capacity.detail?.node;
  // The sizes the adaptor picks from are read with the backend's cloud credentials.
  const { permissions } = usePermissions();
  const { room } = useCapacityRoom(permissions?.canReadCloud === true);

  if (!name) return <LoadingState label={t('Loading the node')} />;

  const overrideButton = (
    <Button
      variant="secondary"
      onClick={() => setEditingOverride(true)}
      isAriaDisabled={!overrideAccess.allowed}
      isLoading={overrideAccess.loading}
    >
      {node?.override !== null && node?.override !== undefined ? t('Edit override') : t('Set override')}
    </Button>
  );

  // The console gives a plugin's tab no padding of its own (its own tabs pad their body the same way).
  return (
    <PageSection hasBodyWrapper={false}>
      <Stack hasGutter>
        <StackItem>
          <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }} alignItems={{ default: 'alignItemsCenter' }}>
            <FlexItem>
              <Title headingLevel="h2">{t('Peer pod capacity')}</Title>
            </FlexItem>
            <FlexItem>
              {overrideAccess.allowed || overrideAccess.loading ? (
                overrideButton
              ) : (
                <Tooltip
                  content={t(
                    'Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.',
                  )}
                >
                  {overrideButton}
                </Tooltip>
              )}
            </FlexItem>
          </Flex>
        </StackItem>
        <StackItem>
          {capacity.error !== undefined && isNotFoundError(capacity.error) ? (
            <Alert variant="info" isInline title={t('The backend does not know this node yet')}>
              {t('It adds new nodes within seconds of their creation. This page reads it again every few seconds.')}
            </Alert>
          ) : capacity.error !== undefined ? (
            <BackendErrorAlert error={capacity.error} onRetry={capacity.refresh} />
          ) : !node ? (
            <LoadingState label={t('Loading peer pod capacity')} />
          ) : (
            <Stack hasGutter>
              {node.desiredState === 'absent' && node.advertised === null && (
                <StackItem>
                  <Alert variant="info" isInline title={t('This node does not run peer pods')}>
                    {t(
                      'No PeerPodConfig selects it and it has no override, so it advertises no {{resource}}. Label it with the nodeSelector of the PeerPodConfig, or set an override, to run peer pods here.',
                      { resource: PEER_POD_VM_RESOURCE },
                    )}
                  </Alert>
                </StackItem>
              )}
              <StackItem>
                <NodeCapacityDetails node={node} />
              </StackItem>
            </Stack>
          )}
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('Peer pods')}</Title>
        </StackItem>
        <StackItem>
          <NodePeerPodsTable
            pods={pods.pods}
            loaded={pods.loaded}
            loadError={pods.loadError}
            vms={node?.vms ?? []}
            room={room}
          />
        </StackItem>
        <StackItem>
          <StuckPeerPodsSection
            nodeName={name}
            peerPodConfig={peerPodConfig}
            onRaiseLimit={peerPodConfig ? () => setEditingLimit(true) : undefined}
            limitAccess={limitAccess}
            onRaiseOverride={() => setEditingOverride(true)}
            overrideAccess={overrideAccess}
          />
        </StackItem>
        <StackItem>
          <Title headingLevel="h2">{t('Virtual machines')}</Title>
        </StackItem>
        <StackItem>
          {capacity.detail ? (
            <NodeVmsTable vms={capacity.detail.node.vms} podNames={capacity.detail.podNames} />
          ) : (
            capacity.error === undefined && <LoadingState label={t('Loading VMs')} />
          )}
        </StackItem>
        {capacity.detail && capacity.detail.unaccounted.length > 0 && (
          <StackItem>
            <UnaccountedPeerPodsList
              unaccounted={capacity.detail.unaccounted}
              extendedResource={PEER_POD_VM_RESOURCE}
              podNames={capacity.detail.podNames}
              showNode={false}
            />
          </StackItem>
        )}
        {editingLimit && peerPodConfig && (
          <LimitEditorModal
            peerPodConfig={peerPodConfig}
            nodes={node ? [node] : undefined}
            onClose={() => {
              setEditingLimit(false);
              capacity.refresh();
            }}
          />
        )}
        {editingOverride && (
          <NodeOverrideModal
            nodeName={name}
            capacity={node}
            onClose={() => {
              setEditingOverride(false);
              capacity.refresh();
            }}
          />
        )}
      </Stack>
    </PageSection>
  );
};

export default NodePeerPodsTab;
