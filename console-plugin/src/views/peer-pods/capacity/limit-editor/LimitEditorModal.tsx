import { type FC, type FormEvent, useState } from 'react';
import { Alert, Content, Form, List, ListItem, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../../api/backend';
import ConfirmModal from '../../../../components/ConfirmModal';
import { usePeerPodLimitActions } from '../../../../hooks/usePeerPodLimitActions';
import { PeerPodConfigKind, PeerPodConfigModel } from '../../../../models/PeerPodConfig';
import ConvergenceProgress from './ConvergenceProgress';
import LimitInput from './LimitInput';
import { nodesAboveLimit, validateLimit } from './limitValidation';
import SaveErrorAlert from './SaveErrorAlert';
import { useLimitSave } from './useLimitSave';
import { useStableId } from '../../../../hooks/useStableId';

/** Nodes named in the "above the new limit" warning; the rest are counted. */
const NODES_LISTED = 10;

type LimitEditorModalProps = {
  peerPodConfig: PeerPodConfigKind;
  /** The live capacity rows (undefined when the backend cannot be read): warnings and progress. */
  nodes: NodeCapacity[] | undefined;
  onClose: () => void;
};

/**
 * Edits PeerPodConfig spec.limit: validates it, warns about nodes already running more peer pods,
 * patches it as the signed-in user, then follows the nodes as they advertise the new limit.
 */
const LimitEditorModal: FC<LimitEditorModalProps> = ({ peerPodConfig, nodes, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { setLimit } = usePeerPodLimitActions();
  const current = peerPodConfig.spec.limit;
  const [value, setValue] = useState(current ?? '');
  const write = useLimitSave((limit: number) => setLimit(peerPodConfig, limit));
  const titleId = useStableId();
  const formId = useStableId();
  const inputId = useStableId();

  const name = peerPodConfig.metadata?.name ?? '';
  const namespace = peerPodConfig.metadata?.namespace ?? '';
  const config = { namespace, name };
  const validation = validateLimit(value);
  const unchanged = validation.ok && String(validation.value) === current;
  const aboveLimit = validation.ok && nodes ? nodesAboveLimit(nodes, config, validation.value) : [];
  const currentIsValid = current === undefined || validateLimit(current).ok;
  const saving = write.saving !== undefined;
  const savedLimit = write.saved?.value;
  const { error } = write;

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (validation.ok && !unchanged && !saving) void write.save(validation.value);
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
              isDisabled: !validation.ok || unchanged || saving,
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
              />
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
                    {t(
                      'Their peer pods keep running; no new peer pod is placed on them until fewer than {{limit}} run there.',
                      { limit: validation.ok ? validation.value : '' },
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
                forbiddenTitle={t('You are not allowed to change the PeerPodConfig')}
                forbiddenText={t(
                  'Changing the limit needs the permission to patch peerpodconfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
                  { namespace },
                )}
              />
            </StackItem>
          )}
        </Stack>
      )}
    </ConfirmModal>
  );
};

export default LimitEditorModal;
