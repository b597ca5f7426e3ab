import { type FC, type FormEvent, useState } from 'react';
import { Alert, Checkbox, Content, Form, List, ListItem, Stack, StackItem } from '@patternfly/react-core';
import { ADAPTOR_DEFAULT_LIMIT, ADAPTOR_LIMIT_KEY } from '@peer-pods-console/contract/sizing';
import { useTranslation } from 'react-i18next';

import type { LimitChangeResult, NodeCapacity } from '../../../../api/backend';
import ConfirmModal from '../../../../components/ConfirmModal';
import { useCapacityRoom } from '../../../../hooks/useCapacityRoom';
import { usePeerPodLimitActions } from '../../../../hooks/usePeerPodLimitActions';
import { usePermissions } from '../../../../hooks/usePermissions';
import { PeerPodConfigKind, PeerPodConfigModel } from '../../../../models/PeerPodConfig';
import ConvergenceProgress from './ConvergenceProgress';
import { adaptorAgrees, type AdaptorLimit } from './limitPromise';
import LimitInput from './LimitInput';
import { nodesAboveLimit, validateLimit } from './limitValidation';
import PromiseHint, { type ClusterCapacity } from './PromiseHint';
import SaveErrorAlert from './SaveErrorAlert';
import { useLimitSave } from './useLimitSave';
import { useStableId } from '../../../../hooks/useStableId';

/** Nodes named in the "above the new limit" warning; the rest are counted. */
const NODES_LISTED = 10;

type LimitEditorModalProps = {
  peerPodConfig: PeerPodConfigKind;
  /** The live capacity rows (undefined when the backend cannot be read): warnings and progress. */
  nodes: NodeCapacity[] | undefined;
  /** The cluster's capacity, when the caller watches it already: the promise is counted over it. */
  clusterCapacity?: ClusterCapacity;
  onClose: () => void;
};

/**
 * Edits PeerPodConfig spec.limit: validates it, warns about nodes already running more peer pods,
 * says what it promises against the cloud's vCPU quota, offers to keep the adaptor's
 * PEERPODS_LIMIT_PER_NODE in step, patches it as the signed-in user, then follows the nodes as they
 * advertise the new limit.
 */
const LimitEditorModal: FC<LimitEditorModalProps> = ({ peerPodConfig, nodes, clusterCapacity, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { setLimit } = usePeerPodLimitActions();
  const current = peerPodConfig.spec.limit;
  const [value, setValue] = useState(current ?? '');
  const [keepInStep, setKeepInStep] = useState(true);
  const write = useLimitSave((change: { limit: number; syncConfigMap: boolean }) =>
    setLimit(peerPodConfig, change.limit, change.syncConfigMap ? { syncConfigMap: true } : {}),
  );
  // The room (quota, adaptor limit) only for users who may read the cloud; read once, not per keystroke.
  const canReadCloud = usePermissions().permissions?.canReadCloud === true;
  const room = useCapacityRoom(canReadCloud);
  const titleId = useStableId();
  const formId = useStableId();
  const inputId = useStableId();

  const name = peerPodConfig.metadata?.name ?? '';
  const namespace = peerPodConfig.metadata?.namespace ?? '';
  const config = { namespace, name };
  const validation = validateLimit(value);
  const unchanged = validation.ok && String(validation.value) === current;
  const adaptorLimit = room.room?.adaptorLimit ?? null;
  const offerKeepInStep = validation.ok && adaptorLimit !== null && !adaptorAgrees(adaptorLimit, validation.value);
  const syncConfigMap = offerKeepInStep && keepInStep;
  // Keeping the ConfigMap in step is worth a save of its own, even when the limit stays.
  const nothingToSave = unchanged && !syncConfigMap;
  const aboveLimit = validation.ok && nodes ? nodesAboveLimit(nodes, config, validation.value) : [];
  const currentIsValid = current === undefined || validateLimit(current).ok;
  const saving = write.saving !== undefined;
  const savedLimit = write.saved?.value.limit;
  const syncedConfigMap = write.saved?.result.configMap ?? null;
  const { error } = write;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (validation.ok && !nothingToSave && !saving) void write.save({ limit: validation.value, syncConfigMap });
  };

  return (
    <ConfirmModal
      titleId={titleId}
      title={t('Edit the VM limit per node')}
      description={t('{{kind}} {{name}} in the namespace {{namespace}}', {
        kind: PeerPodConfigModel.kind,
        name,
        namespace,
      })}
      variant="medium"
      action={
        savedLimit === undefined
          ? {
              label: t('Save'),
              variant: 'primary',
              form: formId,
              busy: saving,
              isDisabled: !validation.ok || nothingToSave || saving,
            }
          : undefined
      }
      closeVariant="primary"
      onClose={onClose}
    >
      {savedLimit !== undefined ? (
        <Stack hasGutter>
          <StackItem>
            <Content component="p">
              {t('The limit is now {{limit}}. The nodes advertise it as the backend reconciles them:', {
                limit: savedLimit,
              })}
            </Content>
          </StackItem>
          {syncedConfigMap && (
            <StackItem>
              <SyncedConfigMap synced={syncedConfigMap} />
            </StackItem>
          )}
          <StackItem>
            <ConvergenceProgress nodes={nodes} config={config} limit={savedLimit} />
          </StackItem>
        </Stack>
      ) : (
        <Stack hasGutter>
          <StackItem>
            <Content component="p">
              {current === undefined
                ? t('The PeerPodConfig sets no limit now.')
                : t('Current limit: {{limit}} VMs per node.', { limit: current })}
            </Content>
          </StackItem>
          {!currentIsValid && (
            <StackItem>
              <Alert variant="warning" isInline title={t('The current limit is not valid')}>
                {t(
                  'spec.limit is "{{limit}}", which is not a whole number: the nodes keep what they advertise until it is fixed.',
                  { limit: current },
                )}
              </Alert>
            </StackItem>
          )}
          <StackItem>
            <Form id={formId} onSubmit={save}>
              <LimitInput
                id={inputId}
                label={t('VM limit per node')}
                value={value}
                onChange={setValue}
                validation={validation}
                isDisabled={saving}
                autoFocus
                help={t(
                  'How many peer pod VMs each node selected by the PeerPodConfig may run. Nodes with an override keep their own limit.',
                )}
                hint={
                  canReadCloud && (
                    <PromiseHint
                      changes={validation.ok ? [{ kind: 'limit', config, limit: validation.value }] : []}
                      room={room}
                      clusterCapacity={clusterCapacity}
                    />
                  )
                }
              />
              {offerKeepInStep && adaptorLimit && (
                <KeepInStepCheckbox
                  adaptorLimit={adaptorLimit}
                  limit={validation.value}
                  isChecked={keepInStep}
                  onChange={setKeepInStep}
                  isDisabled={saving}
                />
              )}
            </Form>
          </StackItem>
          {aboveLimit.length > 0 && (
            <StackItem>
              <Alert
                variant="warning"
                isInline
                title={t('Nodes running more peer pods than the new limit: {{number}}', {
                  number: aboveLimit.length,
                })}
              >
                <Stack hasGutter>
                  <StackItem>
                    <List aria-label={t('Nodes above the new limit')}>
                      {aboveLimit.slice(0, NODES_LISTED).map((node) => (
                        <ListItem key={node.name}>
                          {t('{{node}}: {{used}} in use', { node: node.name, used: node.used })}
                        </ListItem>
                      ))}
                    </List>
                    {aboveLimit.length > NODES_LISTED &&
                      t('and {{number}} more', { number: aboveLimit.length - NODES_LISTED })}
                  </StackItem>
                  <StackItem>
                    {validation.ok && validation.value === 0
                      ? t('Their peer pods keep running, but with a limit of 0 no new peer pod VM starts on them.')
                      : t(
                          'Their peer pods keep running; a node takes new peer pods again once it runs fewer than its new limit of {{count}}.',
                          { count: validation.ok ? validation.value : 0 },
                        )}
                  </StackItem>
                </Stack>
              </Alert>
            </StackItem>
          )}
          {error !== undefined && (
            <StackItem>
              <SaveErrorAlert
                error={error}
                title={t('The limit was not saved')}
                forbiddenTitle={
                  syncConfigMap
                    ? t('You are not allowed to change the PeerPodConfig or its ConfigMap')
                    : t('You are not allowed to change the PeerPodConfig')
                }
                forbiddenText={
                  syncConfigMap
                    ? t(
                        'Changing the limit needs the permission to patch peerpodconfigs in the namespace {{namespace}}, and keeping {{setting}} in step the permission to patch configmaps there. Ask a cluster administrator for them, or clear the checkbox.',
                        { namespace, setting: ADAPTOR_LIMIT_KEY },
                      )
                    : t(
                        'Changing the limit needs the permission to patch peerpodconfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
                        { namespace },
                      )
                }
              />
            </StackItem>
          )}
        </Stack>
      )}
    </ConfirmModal>
  );
};

type KeepInStepCheckboxProps = {
  adaptorLimit: AdaptorLimit;
  limit: number;
  isChecked: boolean;
  onChange: (checked: boolean) => void;
  isDisabled: boolean;
};

/** Offers to write the same limit into PEERPODS_LIMIT_PER_NODE, which differs from it now. */
const KeepInStepCheckbox: FC<KeepInStepCheckboxProps> = ({ adaptorLimit, limit, isChecked, onChange, isDisabled }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const id = useStableId();
  const now = adaptorLimit.text === null ? t('unset, {{limit}}', { limit: ADAPTOR_DEFAULT_LIMIT }) : adaptorLimit.text;
  return (
    <Checkbox
      id={id}
      isChecked={isChecked}
      onChange={(_event, checked) => onChange(checked)}
      isDisabled={isDisabled}
      label={t('Also set {{setting}} in ConfigMap {{namespace}}/{{name}} to {{limit}} (now {{now}})', {
        setting: ADAPTOR_LIMIT_KEY,
        namespace: adaptorLimit.namespace,
        name: adaptorLimit.name,
        limit,
        now,
      })}
      description={t(
        'cloud-api-adaptor uses it on the nodes where it advertises the capacity itself; the same value there keeps every node at the same limit, whoever advertises it.',
      )}
    />
  );
};

/** What the save wrote into the ConfigMap beside the limit. */
const SyncedConfigMap: FC<{ synced: NonNullable<LimitChangeResult['configMap']> }> = ({ synced }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const where = { setting: ADAPTOR_LIMIT_KEY, namespace: synced.namespace, name: synced.name, limit: synced.new };
  const old = synced.old ?? t('unset');
  return (
    <Content component="p">
      {synced.old === synced.new
        ? t('{{setting}} in ConfigMap {{namespace}}/{{name}} was already {{limit}}.', where)
        : t(
            '{{setting}} in ConfigMap {{namespace}}/{{name}} is now {{limit}} (was {{old}}). cloud-api-adaptor reads it when its pods start, so it applies once they restart.',
            { ...where, old },
          )}
    </Content>
  );
};

export default LimitEditorModal;
