import { type FC, useState } from 'react';
import {
  Alert,
  Button,
  Content,
  Form,
  FormGroup,
  Label,
  List,
  ListItem,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  Spinner,
  Stack,
  StackItem,
  TextInput,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { OrphanCleanupResult } from '../../../api/backend';
import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import type { OrphanCleanupState } from '../../../hooks/useOrphanCleanup';
import { DEFAULT_PEER_POD_CONFIG } from '../../../models/PeerPodConfig';
import type { InventoryVm } from './vmInventoryRows';

type CleanupOutcome = OrphanCleanupResult['results'][number];
type CloudResource = CleanupOutcome['resources'][number];

type OrphanCleanupModalProps = {
  state: Exclude<OrphanCleanupState, { phase: 'idle' }>;
  /** The VMs the admin selected, named while the dry run runs. */
  selectedVms: InventoryVm[];
  onConfirm: (preview: OrphanCleanupResult) => void;
  onClose: () => void;
};

const TITLE_ID = 'peer-pods-console-plugin__cleanup-title';

/** A cloud resource the backend says a deletion removes (or removed), in words. */
const useCloudResourceText = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (resource: CloudResource): string => {
    switch (resource.kind) {
      case 'ec2-instance':
        return t('EC2 instance {{id}}', { id: resource.name });
      case 'virtual-machine':
        return t('Virtual machine {{name}}', { name: resource.name });
      case 'network-interface':
        return t('Network interface {{name}}', { name: resource.name });
      case 'disk':
        return t('Disk {{name}}', { name: resource.name });
    }
  };
};

const OutcomeLabel: FC<{ outcome: CleanupOutcome['outcome'] }> = ({ outcome }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  switch (outcome) {
    case 'would-delete':
      return <Label status="warning">{t('Will be deleted')}</Label>;
    case 'deleted':
      return <Label status="success">{t('Deleted')}</Label>;
    case 'refused':
      return <Label color="grey">{t('Refused')}</Label>;
    case 'failed':
      return <Label status="danger">{t('Failed')}</Label>;
  }
};

type OutcomeTableProps = {
  ariaLabel: string;
  results: CleanupOutcome[];
  /** Dry run: list what would be deleted; real run: what was. */
  dryRun: boolean;
};

const OutcomeTable: FC<OutcomeTableProps> = ({ ariaLabel, results, dryRun }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const resourceText = useCloudResourceText();
  return (
    <Table aria-label={ariaLabel} variant="compact">
      <Thead>
        <Tr>
          <Th>{t('Virtual machine')}</Th>
          <Th>{t('Outcome')}</Th>
          <Th>{t('Details')}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {results.map((result) => {
          // The backend lists them per VM: what the dry run would remove, what the cleanup removed.
          const removed = result.outcome === 'would-delete' || result.outcome === 'deleted' ? result.resources : [];
          return (
            <Tr key={result.id}>
              <Td dataLabel={t('Virtual machine')}>
                <Stack>
                  <StackItem>{result.name ?? result.id}</StackItem>
                  {result.name && (
                    <StackItem>
                      <Content component="small">{result.id}</Content>
                    </StackItem>
                  )}
                </Stack>
              </Td>
              <Td dataLabel={t('Outcome')}>
                <OutcomeLabel outcome={result.outcome} />
              </Td>
              <Td dataLabel={t('Details')}>
                <Stack>
                  <StackItem>{result.message}</StackItem>
                  {removed.length > 0 && (
                    <StackItem>
                      {dryRun ? t('Would delete:') : t('Deleted:')}
                      <List isPlain>
                        {removed.map((resource) => (
                          <ListItem key={`${resource.kind}/${resource.name}`}>{resourceText(resource)}</ListItem>
                        ))}
                      </List>
                    </StackItem>
                  )}
                </Stack>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};

/**
 * The guarded cleanup: the dry run's answer for each selected VM, a typed confirmation of how many
 * VMs will be deleted, then each VM's outcome.
 */
const OrphanCleanupModal: FC<OrphanCleanupModalProps> = ({ state, selectedVms, onConfirm, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [typedCount, setTypedCount] = useState('');
  const busy = state.phase === 'previewing' || state.phase === 'deleting';
  const preview = state.phase === 'previewed' || state.phase === 'deleting' ? state.preview : undefined;
  const toDelete = preview ? preview.results.filter((result) => result.outcome === 'would-delete') : [];
  const confirmed = toDelete.length > 0 && typedCount.trim() === String(toDelete.length);

  const body = () => {
    switch (state.phase) {
      case 'previewing':
        return (
          <Stack hasGutter>
            <StackItem>
              <Spinner size="md" aria-label={t('Checking what would be deleted')} />{' '}
              {t('Dry run: the backend lists the cloud again and checks each selected VM. Nothing is deleted.')}
            </StackItem>
            <StackItem>
              <List aria-label={t('Selected virtual machines')}>
                {selectedVms.map((vm) => (
                  <ListItem key={vm.id}>{vm.name}</ListItem>
                ))}
              </List>
            </StackItem>
          </Stack>
        );
      case 'previewed':
      case 'deleting': {
        const refusedCount = state.preview.results.length - toDelete.length;
        return (
          <Stack hasGutter>
            <StackItem>
              <Alert
                variant={toDelete.length > 0 ? 'warning' : 'info'}
                isInline
                title={
                  toDelete.length > 0
                    ? t('Dry run: the cleanup would delete {{number}} of the selected VMs', { number: toDelete.length })
                    : t('Dry run: none of the selected VMs can be deleted')
                }
              >
                {refusedCount > 0
                  ? t(
                      'The backend refuses {{number}} of the selected VMs (see why below); they will be left alone. Nothing has been deleted yet.',
                      { number: refusedCount },
                    )
                  : t('Nothing has been deleted yet. Deleting a VM cannot be undone.')}
              </Alert>
            </StackItem>
            <StackItem>
              <OutcomeTable ariaLabel={t('Dry run result')} results={state.preview.results} dryRun />
            </StackItem>
            {toDelete.length > 0 && (
              <StackItem>
                <Form
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (confirmed && state.phase === 'previewed') onConfirm(state.preview);
                  }}
                >
                  <FormGroup
                    label={t('Type {{number}} to confirm that these VMs will be deleted', {
                      number: toDelete.length,
                    })}
                    fieldId="peer-pods-console-plugin__cleanup-confirm"
                  >
                    <TextInput
                      id="peer-pods-console-plugin__cleanup-confirm"
                      value={typedCount}
                      onChange={(_event, value) => setTypedCount(value)}
                      inputMode="numeric"
                      isDisabled={state.phase === 'deleting'}
                      autoComplete="off"
                    />
                  </FormGroup>
                </Form>
              </StackItem>
            )}
            {state.phase === 'deleting' && (
              <StackItem>
                <Spinner size="md" aria-label={t('Deleting the virtual machines')} /> {t('Deleting the approved VMs…')}
              </StackItem>
            )}
          </Stack>
        );
      }
      case 'done': {
        const counts = { deleted: 0, refused: 0, failed: 0, 'would-delete': 0 };
        for (const result of state.result.results) counts[result.outcome] += 1;
        const allDeleted = counts.refused === 0 && counts.failed === 0;
        return (
          <Stack hasGutter>
            <StackItem>
              <Alert
                variant={allDeleted ? 'success' : counts.failed > 0 ? 'danger' : 'warning'}
                isInline
                title={t('Cleanup finished: {{deleted}} deleted, {{refused}} refused, {{failed}} failed', {
                  deleted: counts.deleted,
                  refused: counts.refused,
                  failed: counts.failed,
                })}
              >
                {t(
                  'The inventory is being refreshed. Every deletion, refusal and failure is recorded as an Event on the PeerPodConfig.',
                )}
              </Alert>
            </StackItem>
            <StackItem>
              <OutcomeTable ariaLabel={t('Cleanup result')} results={state.result.results} dryRun={false} />
            </StackItem>
          </Stack>
        );
      }
      case 'failed':
        return (
          <BackendProblemAlert
            title={state.step === 'preview' ? t('The dry run failed') : t('The cleanup failed')}
            problem={backendProblemOf(state.error)}
            forbiddenExplanation={t(
              'Cleaning up VMs needs permission to patch PeerPodConfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
              { namespace: DEFAULT_PEER_POD_CONFIG.namespace },
            )}
          >
            {state.step === 'delete' && (
              <StackItem>
                {t('Some VMs may have been deleted before the failure. The inventory is being refreshed; check it.')}
              </StackItem>
            )}
          </BackendProblemAlert>
        );
    }
  };

  const finished = state.phase === 'done' || state.phase === 'failed';
  return (
    <Modal
      isOpen
      variant="medium"
      aria-labelledby={TITLE_ID}
      // No header close button (its label cannot be translated): Cancel / Close in the footer, and Escape.
      onEscapePress={() => {
        if (!busy) onClose();
      }}
    >
      <ModalHeader title={t('Clean up orphan VMs')} labelId={TITLE_ID} />
      <ModalBody>{body()}</ModalBody>
      <ModalFooter>
        {!finished && toDelete.length > 0 && (
          <Button
            variant="danger"
            isDisabled={!confirmed || state.phase !== 'previewed'}
            isLoading={state.phase === 'deleting'}
            onClick={() => state.phase === 'previewed' && onConfirm(state.preview)}
          >
            {t('Delete')}
          </Button>
        )}
        <Button variant={finished ? 'primary' : 'link'} onClick={onClose} isDisabled={state.phase === 'deleting'}>
          {finished ? t('Close') : t('Cancel')}
        </Button>
      </ModalFooter>
    </Modal>
  );
};

export default OrphanCleanupModal;
