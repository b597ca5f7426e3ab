import type { FC } from 'react';
import { Alert, Content, List, ListItem, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import {
  ALLOWED_NAMESPACE_LABEL,
  ALLOWED_NAMESPACE_LABEL_VALUE,
  NAMESPACE_POLICY_BINDING_NAME,
  NAMESPACE_POLICY_NAME,
} from '@peer-pods-console/contract/namespace-policy';

import ConfirmModal from '../../../components/ConfirmModal';
import type { NamespacePeerPods } from './policyImpact';
import PolicyActionError from './PolicyActionError';

type InstallPolicyModalProps = {
  runtimeClass: string;
  /** Namespaces with running peer pods that the policy would not allow; undefined when unknown. */
  outside: NamespacePeerPods[] | undefined;
  allowedNamespaces: number;
  installing: boolean;
  error: unknown;
  onDismissError: () => void;
  onConfirm: () => void;
  onClose: () => void;
};

const TITLE_ID = 'peer-pods-console-plugin__install-policy-title';

/** Says what installing the policy changes, and whom it affects, before anything is created. */
const InstallPolicyModal: FC<InstallPolicyModalProps> = ({
  runtimeClass,
  outside,
  allowedNamespaces,
  installing,
  error,
  onDismissError,
  onConfirm,
  onClose,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const label = `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;
  return (
    <ConfirmModal
      titleId={TITLE_ID}
      title={t('Install the namespace policy?')}
      variant="medium"
      action={{ label: t('Install'), variant: 'primary', busy: installing, onClick: onConfirm }}
      onClose={onClose}
    >
      <Stack hasGutter>
        <StackItem>
          <Content component="p">
            {t(
              'From now on the API server refuses new pods with runtimeClassName {{runtimeClass}} in every namespace that is not labelled {{label}}.',
              { runtimeClass, label },
            )}
          </Content>
        </StackItem>
        <StackItem>
          <Content component="p">
            {t(
              'Creates the ValidatingAdmissionPolicy {{policy}} and the ValidatingAdmissionPolicyBinding {{binding}}.',
              {
                policy: NAMESPACE_POLICY_NAME,
                binding: NAMESPACE_POLICY_BINDING_NAME,
              },
            )}
          </Content>
        </StackItem>
        {outside && outside.length > 0 && (
          <StackItem>
            <Alert variant="warning" isInline title={t('Peer pods run in namespaces that would not be allowed')}>
              <Stack hasGutter>
                <StackItem>
                  {t(
                    'They keep running, but new peer pods there are refused until the namespace is labelled {{label}}.',
                    { label },
                  )}
                </StackItem>
                <StackItem>
                  <List aria-label={t('Namespaces with peer pods that would not be allowed')}>
                    {outside.map((entry) => (
                      <ListItem key={entry.namespace}>
                        {t('{{namespace}}: {{pods}} peer pods', { namespace: entry.namespace, pods: entry.pods })}
                      </ListItem>
                    ))}
                  </List>
                </StackItem>
              </Stack>
            </Alert>
          </StackItem>
        )}
        {outside === undefined && (
          <StackItem>
            <Alert
              variant="info"
              isInline
              title={t('Which namespaces run peer pods is not known, because the setup checks did not load.')}
            />
          </StackItem>
        )}
        {allowedNamespaces === 0 && (
          <StackItem>
            <Alert
              variant="warning"
              isInline
              title={t('No namespace is allowed yet: every new peer pod is refused until you allow one.')}
            />
          </StackItem>
        )}
        {error !== undefined && (
          <StackItem>
            <PolicyActionError
              title={t('Could not install the namespace policy')}
              forbiddenExplanation={t(
                'Your user may not create ValidatingAdmissionPolicies and their bindings. Ask a cluster administrator to install the policy.',
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

export default InstallPolicyModal;
