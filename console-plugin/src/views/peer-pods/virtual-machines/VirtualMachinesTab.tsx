import { type FC, useMemo, useState } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import {
  Alert,
  Button,
  Content,
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Stack,
  StackItem,
  ToolbarItem,
} from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';
import RefreshButton from '../../../components/RefreshButton';

import type { VmInventory } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import LoadingState from '../../../components/LoadingState';
import { useOrphanCleanup } from '../../../hooks/useOrphanCleanup';
import { usePermissions } from '../../../hooks/usePermissions';
import { useVmInventory } from '../../../hooks/useVmInventory';
import { DEFAULT_PEER_POD_CONFIG } from '../../../models/PeerPodConfig';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import DanglingPeerPods from './DanglingPeerPods';
import { type FinishedCleanup, finishedCleanupOf, inventoryAfterCleanup } from './inventoryAfterCleanup';
import OrphanCleanupModal from './OrphanCleanupModal';
import VmInventoryTable from './VmInventoryTable';

const SETUP_PATH = `${PEER_PODS_PAGE_PATH}/setup`;

const CLOUD_NAMES: Record<NonNullable<VmInventory['provider']>, string> = { aws: 'AWS', azure: 'Azure' };

/** Virtual machines tab: the cloud's peer-pod VMs, orphans, PeerPods without a VM, and the guarded cleanup. */
const VirtualMachinesTab: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { inventory, loaded, error, refresh, refreshing } = useVmInventory();

  if (!loaded) return <LoadingState label={t('Loading the virtual machine inventory')} />;
  if (!inventory) {
    return (
      <BackendProblemAlert
        title={t('Could not load the virtual machines')}
        problem={backendProblemOf(error)}
        forbiddenExplanation={t(
          'Reading the virtual machine inventory needs permission to list nodes in the whole cluster and to read the cloud credentials Secret. Ask a cluster administrator for them.',
        )}
        onRetry={refresh}
      />
    );
  }
  if (inventory.error && inventory.fetchedAt === null) {
    return (
      <BackendProblemAlert
        title={t('The cloud inventory is not available')}
        problem={backendProblemOf(inventory.error)}
        forbiddenExplanation={t('The backend was not allowed to read what it needs to list the VMs.')}
        setupPath={SETUP_PATH}
        onRetry={refresh}
      />
    );
  }
  return <Inventory inventory={inventory} requestError={error} refresh={refresh} refreshing={refreshing} />;
};

type InventoryProps = {
  inventory: VmInventory;
  /** The last refresh failed; `inventory` is the previous answer. */
  requestError: unknown;
  refresh: () => void;
  refreshing: boolean;
};

const Inventory: FC<InventoryProps> = ({ inventory: listed, requestError, refresh, refreshing }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { permissions, loaded: permissionsLoaded, error: permissionsError } = usePermissions();
  // The backend answers a cleanup once it listed the cloud again: read the inventory at once, and
  // until it arrives show the deleted VMs of the listing on screen as being deleted.
  const [finishedCleanup, setFinishedCleanup] = useState<FinishedCleanup>();
  const cleanup = useOrphanCleanup((result) => {
    if (result) setFinishedCleanup(finishedCleanupOf(result, listed));
    refresh();
  });
  const deletingReason = t('A cleanup deleted this VM; the cloud has not removed it yet.');
  const inventory = useMemo(
    () => inventoryAfterCleanup(listed, finishedCleanup, deletingReason),
    [listed, finishedCleanup, deletingReason],
  );
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const canCleanUp = permissions?.canChangeCloud === true;
  // Only VMs that are orphans in the current inventory stay selected.
  const selectedVms = inventory.vms.filter((vm) => vm.orphan && selected.has(vm.id));
  const selectedIds = new Set(selectedVms.map((vm) => vm.id));

  const changeSelection = (vmIds: string[], isSelected: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of vmIds) {
        if (isSelected) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const closeCleanup = () => {
    if (cleanup.state.phase === 'done') setSelected(new Set());
    cleanup.reset();
  };

  const refreshButton = (
    <RefreshButton onClick={refresh} refreshing={refreshing}>
      {t('Refresh')}
    </RefreshButton>
  );

  return (
    <Stack hasGutter>
      {permissionsLoaded && !canCleanUp && (
        <StackItem>
          <Alert variant="info" isInline title={t('You can view the virtual machines but not clean them up')}>
            {permissionsError
              ? t(
                  'Your permissions could not be checked, so the cleanup action is hidden. Reload the page to try again.',
                )
              : t(
                  'Deleting orphan VMs needs permission to patch PeerPodConfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
                  { namespace: DEFAULT_PEER_POD_CONFIG.namespace },
                )}
          </Alert>
        </StackItem>
      )}
      {inventory.error && (
        <StackItem>
          <BackendProblemAlert
            variant="warning"
            title={t('The last cloud inventory failed; the table shows an older one')}
            problem={backendProblemOf(inventory.error)}
            forbiddenExplanation={t('The backend was not allowed to read what it needs to list the VMs.')}
            setupPath={SETUP_PATH}
          />
        </StackItem>
      )}
      {requestError !== undefined && (
        <StackItem>
          <BackendProblemAlert
            variant="warning"
            title={t('Could not refresh the virtual machines; the table shows the last answer')}
            problem={backendProblemOf(requestError)}
            forbiddenExplanation={t(
              'Reading the virtual machine inventory needs permission to list nodes in the whole cluster and to read the cloud credentials Secret. Ask a cluster administrator for them.',
            )}
            onRetry={refresh}
          />
        </StackItem>
      )}
      <StackItem>
        <Content component="p">
          {inventory.provider
            ? t('Peer pod VMs in {{cloud}}, as the backend listed them', { cloud: CLOUD_NAMES[inventory.provider] })
            : t('Peer pod VMs, as the backend listed them')}
          {inventory.fetchedAt && (
            <>
              {' · '}
              {t('Inventory taken')} <Timestamp timestamp={inventory.fetchedAt} />
            </>
          )}
        </Content>
      </StackItem>
      {inventory.scope && inventory.scope.excluded > 0 && (
        <StackItem>
          {/* Other clusters in the same account: their VMs are counted by the backend, never listed. */}
          <Alert
            variant="info"
            isInline
            isPlain
            title={t('{{number}} peer pod VMs of other clusters in this account are not shown', {
              number: inventory.scope.excluded,
            })}
          >
            {inventory.scope.description}
          </Alert>
        </StackItem>
      )}
      <StackItem>
        {inventory.vms.length === 0 ? (
          <EmptyState titleText={t('No peer pod VMs')} headingLevel="h2" icon={CubesIcon} variant="sm">
            <EmptyStateBody>
              {t(
                'The cloud holds no peer pod virtual machines (named podvm-…) right now. They appear here when peer pods start.',
              )}
            </EmptyStateBody>
            <EmptyStateFooter>
              <EmptyStateActions>{refreshButton}</EmptyStateActions>
            </EmptyStateFooter>
          </EmptyState>
        ) : (
          <VmInventoryTable
            vms={inventory.vms}
            selectable={canCleanUp}
            selectedIds={selectedIds}
            onSelectionChange={changeSelection}
            actions={
              <>
                <ToolbarItem>{refreshButton}</ToolbarItem>
                {canCleanUp && (
                  <ToolbarItem alignSelf="center">
                    <Button
                      variant="danger"
                      isDisabled={selectedVms.length === 0}
                      onClick={() => cleanup.preview(selectedVms.map((vm) => vm.id))}
                    >
                      {t('Clean up')}
                    </Button>{' '}
                    <Content component="small">{t('Selected: {{number}}', { number: selectedVms.length })}</Content>
                  </ToolbarItem>
                )}
              </>
            }
          />
        )}
      </StackItem>
      <StackItem>
        <DanglingPeerPods dangling={inventory.dangling} />
      </StackItem>
      {cleanup.state.phase !== 'idle' && (
        <OrphanCleanupModal
          state={cleanup.state}
          selectedVms={selectedVms}
          onConfirm={cleanup.confirm}
          onClose={closeCleanup}
        />
      )}
    </Stack>
  );
};

export default VirtualMachinesTab;
