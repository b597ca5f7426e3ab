import { type FC, type FormEvent, useState } from 'react';
import { Alert, Button, Content, Flex, FlexItem, Form, Spinner, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../../api/backend';
import ConfirmModal from '../../../../components/ConfirmModal';
import LoadingState from '../../../../components/LoadingState';
import { useCapacityRoom } from '../../../../hooks/useCapacityRoom';
import { useNode } from '../../../../hooks/useNode';
import { usePeerPodLimitActions } from '../../../../hooks/usePeerPodLimitActions';
import { usePermissions } from '../../../../hooks/usePermissions';
import { messageOf } from '../../../../k8s/loadErrors';
import { type NodeKind, VM_LIMIT_OVERRIDE_ANNOTATION } from '../../../../models/Node';
import type { PlannedChange } from './limitPromise';
import LimitInput from './LimitInput';
import { nodeConverged, validateLimit } from './limitValidation';
import PromiseHint, { type ClusterCapacity } from './PromiseHint';
import SaveErrorAlert from './SaveErrorAlert';
import { useLimitSave } from './useLimitSave';
import { useStableId } from '../../../../hooks/useStableId';

type NodeOverrideModalProps = {
  nodeName: string;
  /** The node's live capacity row, when the backend can be read: warnings and progress. */
  capacity: NodeCapacity | undefined;
  /** The cluster's capacity, when the caller watches it already: the promise is counted over it. */
  clusterCapacity?: ClusterCapacity;
  onClose: () => void;
};

/**
 * Sets or removes one node's VM limit override (its annotation), as the signed-in user, saying what
 * either promises against the cloud's vCPU quota, then shows when the node advertises the result.
 */
const NodeOverrideModal: FC<NodeOverrideModalProps> = ({ nodeName, capacity, clusterCapacity, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { node, loaded, loadError } = useNode(nodeName);
  const { setNodeOverride } = usePeerPodLimitActions();
  const [edited, setEdited] = useState<string>();
  // An override of null removes the annotation.
  const write = useLimitSave((change: { node: NodeKind; override: number | null }) =>
    setNodeOverride(change.node, change.override),
  );
  // The room only for users who may read the cloud; read once, not per keystroke.
  const canReadCloud = usePermissions().permissions?.canReadCloud === true;
  const room = useCapacityRoom(canReadCloud);
  const titleId = useStableId();
  const formId = useStableId();
  const inputId = useStableId();

  const annotation = node?.metadata?.annotations?.[VM_LIMIT_OVERRIDE_ANNOTATION];
  const value = edited ?? annotation ?? '';
  const validation = validateLimit(value);
  const unchanged = validation.ok && String(validation.value) === annotation;
  const promised: PlannedChange[] = [
    ...(validation.ok ? [{ kind: 'override' as const, node: nodeName, override: validation.value }] : []),
    // What "Remove override" would promise: the node back on its PeerPodConfig's limit.
    ...(annotation !== undefined ? [{ kind: 'override' as const, node: nodeName, override: null }] : []),
  ];

  const saving = write.saving && (write.saving.value.override === null ? 'remove' : 'set');
  const saved = write.saved && { override: write.saved.value.override };
  const { error } = write;
  const save = (override: number | null) => {
    if (node) void write.save({ node, override });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (validation.ok && !unchanged && !saving) save(validation.value);
  };

  const body = (() => {
    if (loadError) {
      return (
        <Alert variant="danger" isInline title={t('Could not load the node')}>
          {messageOf(loadError) ?? t('The API server did not return the node.')}
        </Alert>
      );
    }
    if (!loaded || !node) return <LoadingState label={t('Loading the node')} />;
    if (saved) return <OverrideProgress nodeName={nodeName} capacity={capacity} override={saved.override} />;
    const config = capacity?.matchedConfigs[0];
    return (
      <Stack hasGutter>
        <StackItem>
          <Content component="p">
            {config
              ? t(
                  'Without an override, the node takes its limit from the PeerPodConfig {{config}}. The override is the node annotation {{annotation}}.',
                  { config: config.name, annotation: VM_LIMIT_OVERRIDE_ANNOTATION },
                )
              : t(
                  'No PeerPodConfig selects this node: without an override it runs no peer pods. The override is the node annotation {{annotation}}.',
                  { annotation: VM_LIMIT_OVERRIDE_ANNOTATION },
                )}
          </Content>
        </StackItem>
        {annotation !== undefined && !validateLimit(annotation).ok && (
          <StackItem>
            <Alert variant="warning" isInline title={t('The current override is ignored')}>
              {t('The annotation holds "{{value}}", which is not a whole number of VMs.', { value: annotation })}
            </Alert>
          </StackItem>
        )}
        {capacity?.caaOwner && (
          <StackItem>
            <Alert variant="info" isInline title={t('Managed by cloud-api-adaptor')}>
              {t(
                "cloud-api-adaptor advertises this node's capacity. The override is saved, but it applies only once cloud-api-adaptor no longer owns the node.",
              )}
            </Alert>
          </StackItem>
        )}
        <StackItem>
          <Form id={formId} onSubmit={submit}>
            <LimitInput
              id={inputId}
              label={t('VM limit override')}
              value={value}
              onChange={setEdited}
              validation={validation}
              isDisabled={saving !== undefined}
              autoFocus
              help={t('How many peer pod VMs this node may run, whatever the PeerPodConfig says.')}
              hint={canReadCloud && <PromiseHint changes={promised} room={room} clusterCapacity={clusterCapacity} />}
            />
          </Form>
        </StackItem>
        {validation.ok && capacity && capacity.used > validation.value && (
          <StackItem>
            <Alert
              variant="warning"
              isInline
              title={t('Peer pods running on {{node}}: {{used}}, more than {{limit}}', {
                used: capacity.used,
                node: nodeName,
                limit: validation.value,
              })}
            >
              {validation.value === 0
                ? t('They keep running, but with an override of 0 no new peer pod VM starts on the node.')
                : t(
                    'They keep running; the node takes new peer pods again once it runs fewer than its override of {{count}}.',
                    { count: validation.value },
                  )}
            </Alert>
          </StackItem>
        )}
        {error !== undefined && (
          <StackItem>
            <SaveErrorAlert
              error={error}
              title={t('The override was not saved')}
              forbiddenTitle={t('You are not allowed to change the node')}
              forbiddenText={t(
                'Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.',
              )}
            />
          </StackItem>
        )}
      </Stack>
    );
  })();

  const editing = loaded && node !== undefined && !saved;
  return (
    <ConfirmModal
      titleId={titleId}
      title={t('VM limit override')}
      description={t('Node {{node}}', { node: nodeName })}
      variant="small"
      action={
        editing
          ? {
              label: t('Save override'),
              variant: 'primary',
              form: formId,
              busy: saving === 'set',
              isDisabled: !validation.ok || unchanged || saving !== undefined,
            }
          : undefined
      }
      otherActions={
        annotation !== undefined && (
          <Button
            variant="secondary"
            isDanger
            isLoading={saving === 'remove'}
            isDisabled={saving !== undefined}
            onClick={() => save(null)}
          >
            {t('Remove override')}
          </Button>
        )
      }
      closeVariant={saved ? 'primary' : 'link'}
      onClose={onClose}
    >
      {body}
    </ConfirmModal>
  );
};

/** After the write: whether the node advertises what it should now, from the live capacity row. */
const OverrideProgress: FC<{ nodeName: string; capacity: NodeCapacity | undefined; override: number | null }> = ({
  nodeName,
  capacity,
  override,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const saved =
    override === null
      ? t('The override is removed: {{node}} takes its limit from its PeerPodConfig again.', { node: nodeName })
      : t('The override is saved: {{node}} may run {{limit}} peer pod VMs.', { node: nodeName, limit: override });
  let progress;
  if (!capacity) {
    progress = (
      <Alert variant="warning" isInline title={t('Progress is not available')}>
        {t('The backend cannot be read, so the node cannot be followed here.')}
      </Alert>
    );
  } else if (capacity.caaOwner) {
    progress = (
      <Alert variant="info" isInline title={t('Managed by cloud-api-adaptor')}>
        {t('cloud-api-adaptor advertises this node, so its capacity does not change.')}
      </Alert>
    );
  } else if (nodeConverged(capacity, override)) {
    progress = (
      <Alert
        variant="success"
        isInline
        title={
          capacity.advertised === null
            ? t('{{node}} advertises no peer pod VMs, as it should', { node: nodeName })
            : t('{{node}} advertises {{limit}} VMs', { node: nodeName, limit: capacity.advertised })
        }
      />
    );
  } else {
    progress = (
      <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
        <FlexItem>
          <Spinner size="md" aria-label={t('Waiting for the node')} />
        </FlexItem>
        <FlexItem>{t('Waiting for {{node}} to advertise its new limit…', { node: nodeName })}</FlexItem>
      </Flex>
    );
  }
  return (
    <Stack hasGutter>
      <StackItem>
        <Content component="p">{saved}</Content>
      </StackItem>
      <StackItem>{progress}</StackItem>
    </Stack>
  );
};

export default NodeOverrideModal;
