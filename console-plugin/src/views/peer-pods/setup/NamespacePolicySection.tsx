import { type FC, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Content,
  Flex,
  FlexItem,
  Label,
  List,
  ListItem,
  Stack,
  StackItem,
  Title,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import {
  ALLOWED_NAMESPACE_LABEL,
  ALLOWED_NAMESPACE_LABEL_VALUE,
  isNamespaceAllowed,
  policyRuntimeClass,
} from '@peer-pods-console/contract/namespace-policy';

import type { SetupReport } from '../../../api/backend';
import LoadingState from '../../../components/LoadingState';
import { useNamespaceAllowList } from '../../../hooks/useNamespaceAllowList';
import { useNamespacePolicy } from '../../../hooks/useNamespacePolicy';
import { isForbiddenError, messageOf } from '../../../k8s/loadErrors';
import type { NamespaceKind } from '../../../models/Namespace';
import { PEER_POD_RUNTIME_CLASS } from '../../../models/RuntimeClass';
import AllowedNamespaces from './AllowedNamespaces';
import InstallPolicyModal from './InstallPolicyModal';
import { peerPodsOutsideAllowedNamespaces } from './policyImpact';
import PolicyActionError from './PolicyActionError';
import RemovePolicyModal from './RemovePolicyModal';

/** The section's heading; the checklist's "Go to the namespace policy" moves focus here. */
export const NAMESPACE_POLICY_HEADING_ID = 'peer-pods-console-plugin__namespace-policy';

type NamespacePolicySectionProps = {
  /** The setup report: the runtime class to guard and the namespaces that run peer pods. */
  report: SetupReport | undefined;
  /** Called after a change, so that the checklist asks again. */
  onChanged: () => void;
};

type Dialog = { kind: 'install' | 'remove'; busy: boolean; error?: unknown } | undefined;

/**
 * The cluster-wide policy that allows peer pods only in namespaces labelled
 * peerpods.openshift.io/allowed=true: whether it is installed, install / remove, and the labels.
 * Every write is made as the signed-in user; the API server's RBAC decides.
 */
const NamespacePolicySection: FC<NamespacePolicySectionProps> = ({ report, onChanged }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const policy = useNamespacePolicy();
  const allowList = useNamespaceAllowList();
  const [dialog, setDialog] = useState<Dialog>();
  const [labelling, setLabelling] = useState<string>();
  const [labelError, setLabelError] = useState<unknown>();

  const runtimeClass = report?.targetRuntimeClass ?? PEER_POD_RUNTIME_CLASS;
  const label = `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;
  const installed = policy.policy !== undefined && policy.binding !== undefined;
  const partial = !installed && (policy.policy !== undefined || policy.binding !== undefined);
  const guarded = policyRuntimeClass(policy.policy);
  const outside = useMemo(
    () => (report ? peerPodsOutsideAllowedNamespaces(report.peerPodNamespaces, allowList.namespaces) : undefined),
    [report, allowList.namespaces],
  );
  const peerPods = useMemo(
    () => new Map((report?.peerPodNamespaces ?? []).map((entry) => [entry.namespace, entry.pods])),
    [report],
  );
  const allowedCount = allowList.namespaces.filter((ns) => isNamespaceAllowed(ns.metadata?.labels)).length;

  const run = (kind: 'install' | 'remove') => {
    setDialog({ kind, busy: true });
    const work = kind === 'install' ? policy.install(runtimeClass) : policy.remove();
    work.then(
      () => {
        setDialog(undefined);
        onChanged();
      },
      (error: unknown) => setDialog({ kind, busy: false, error }),
    );
  };

  const setAllowed = (namespace: NamespaceKind, allowed: boolean) => {
    setLabelling(namespace.metadata?.name);
    setLabelError(undefined);
    allowList.setAllowed(namespace, allowed).then(
      () => {
        setLabelling(undefined);
        onChanged();
      },
      (error: unknown) => {
        setLabelling(undefined);
        setLabelError(error);
      },
    );
  };

  let state;
  if (!policy.loaded) {
    state = <LoadingState label={t('Loading the namespace policy')} />;
  } else if (policy.loadError) {
    state = (
      <Alert
        variant={isForbiddenError(policy.loadError) ? 'info' : 'warning'}
        isInline
        title={t('Could not read the namespace policy')}
      >
        {isForbiddenError(policy.loadError)
          ? t(
              'Your user may not read ValidatingAdmissionPolicies, so whether the policy is installed is not known. Ask a cluster administrator for access.',
            )
          : messageOf(policy.loadError)}
      </Alert>
    );
  } else {
    state = (
      <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }}>
        <FlexItem>
          {installed && <Label status="success">{t('Installed')}</Label>}
          {partial && <Label status="warning">{t('Partly installed: not enforced')}</Label>}
          {!installed && !partial && <Label>{t('Not installed')}</Label>}
        </FlexItem>
        <FlexItem>
          {!installed && (
            <Button variant="primary" onClick={() => setDialog({ kind: 'install', busy: false })}>
              {partial ? t('Complete the installation') : t('Install the policy')}
            </Button>
          )}
        </FlexItem>
        <FlexItem>
          {(installed || partial) && (
            <Button variant="secondary" isDanger onClick={() => setDialog({ kind: 'remove', busy: false })}>
              {t('Remove the policy')}
            </Button>
          )}
        </FlexItem>
      </Flex>
    );
  }

  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel="h2" id={NAMESPACE_POLICY_HEADING_ID} tabIndex={-1}>
          {t('Namespace policy')}
        </Title>
      </StackItem>
      <StackItem>
        <Content component="p">
          {t(
            'A ValidatingAdmissionPolicy, enforced by the API server itself, that refuses pods with runtimeClassName {{runtimeClass}} outside the namespaces labelled {{label}}. It keeps peer pods out of namespaces the webhook excludes, where they would escape the VM limit. Peer pods that already run keep running.',
            { runtimeClass, label },
          )}
        </Content>
      </StackItem>
      <StackItem>{state}</StackItem>
      {installed && guarded !== undefined && guarded !== runtimeClass && (
        <StackItem>
          <Alert variant="warning" isInline title={t('The policy guards another RuntimeClass')}>
            {t(
              'The installed policy refuses pods of the RuntimeClass {{guarded}}, but peer pods use {{runtimeClass}}. Remove the policy and install it again.',
              { guarded, runtimeClass },
            )}
          </Alert>
        </StackItem>
      )}
      {installed && outside && outside.length > 0 && (
        <StackItem>
          <Alert variant="warning" isInline title={t('Peer pods run in namespaces that are not allowed')}>
            <p>
              {t('They keep running, but new peer pods there are refused until the namespace is labelled {{label}}.', {
                label,
              })}
            </p>
            <List aria-label={t('Namespaces with peer pods that are not allowed')}>
              {outside.map((entry) => (
                <ListItem key={entry.namespace}>
                  {t('{{namespace}}: {{count}} peer pods', { namespace: entry.namespace, count: entry.pods })}
                </ListItem>
              ))}
            </List>
          </Alert>
        </StackItem>
      )}
      <StackItem>
        {!allowList.loaded && <LoadingState label={t('Loading namespaces')} />}
        {allowList.loaded && Boolean(allowList.loadError) && (
          <Alert
            variant={isForbiddenError(allowList.loadError) ? 'info' : 'warning'}
            isInline
            title={t('Could not list the namespaces')}
          >
            {isForbiddenError(allowList.loadError)
              ? t(
                  'Your user may not list namespaces, so the allowed namespaces cannot be shown or changed here. Ask a cluster administrator for access.',
                )
              : messageOf(allowList.loadError)}
          </Alert>
        )}
        {allowList.loaded && !allowList.loadError && (
          <AllowedNamespaces
            namespaces={allowList.namespaces}
            peerPods={peerPods}
            busy={labelling}
            onAllow={(ns) => setAllowed(ns, true)}
            onDisallow={(ns) => setAllowed(ns, false)}
          />
        )}
      </StackItem>
      {labelError !== undefined && (
        <StackItem>
          <PolicyActionError
            title={t('Could not change the namespace label')}
            forbiddenExplanation={t(
              'Your user may not patch namespaces. Ask a cluster administrator to label the namespace.',
            )}
            error={labelError}
            onClose={() => setLabelError(undefined)}
          />
        </StackItem>
      )}
      {dialog?.kind === 'install' && (
        <InstallPolicyModal
          runtimeClass={runtimeClass}
          outside={outside}
          allowedNamespaces={allowedCount}
          installing={dialog.busy}
          error={dialog.error}
          onDismissError={() => setDialog({ kind: 'install', busy: false })}
          onConfirm={() => run('install')}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemovePolicyModal
          removing={dialog.busy}
          error={dialog.error}
          onDismissError={() => setDialog({ kind: 'remove', busy: false })}
          onConfirm={() => run('remove')}
          onClose={() => setDialog(undefined)}
        />
      )}
    </Stack>
  );
};

export default NamespacePolicySection;
