import type { FC } from 'react';
import { Content, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { NAMESPACE_POLICY_BINDING_NAME, NAMESPACE_POLICY_NAME } from '@peer-pods-console/contract/namespace-policy';

import ConfirmModal from '../../../components/ConfirmModal';
import PolicyActionError from './PolicyActionError';

type RemovePolicyModalProps = {
  removing: boolean;
  error: unknown;
  onDismissError: () => void;
  onConfirm: () => void;
  onClose: () => void;
};

const TITLE_ID = 'peer-pods-console-plugin__remove-policy-title';

/** Says what removing the policy changes before anything is deleted. */
const RemovePolicyModal: FC<RemovePolicyModalProps> = ({ removing, error, onDismissError, onConfirm, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <ConfirmModal
      titleId={TITLE_ID}
      title={t('Remove the namespace policy?')}
      variant="small"
      action={{ label: t('Remove'), variant: 'danger', busy: removing, onClick: onConfirm }}
      onClose={onClose}
    >
      <Stack hasGutter>
        <StackItem>
          <Content component="p">
            {t(
              'Peer pods are admitted in every namespace again. In namespaces the webhook excludes, they escape the VM limit.',
            )}
          </Content>
        </StackItem>
        <StackItem>
          <Content component="p">
            {t(
              'Deletes the ValidatingAdmissionPolicyBinding {{binding}} and the ValidatingAdmissionPolicy {{policy}}. The namespace labels stay.',
              {
                policy: NAMESPACE_POLICY_NAME,
                binding: NAMESPACE_POLICY_BINDING_NAME,
              },
            )}
          </Content>
        </StackItem>
        {error !== undefined && (
          <StackItem>
            <PolicyActionError
              title={t('Could not remove the namespace policy')}
              forbiddenExplanation={t(
                'Your user may not delete ValidatingAdmissionPolicies and their bindings. Ask a cluster administrator.',
              )}
              error={error}
              onClose={onDismissError}
            />
          </StackItem>
        )}
      </Stack>
    </ConfirmModal>
  );
};

export default RemovePolicyModal;
