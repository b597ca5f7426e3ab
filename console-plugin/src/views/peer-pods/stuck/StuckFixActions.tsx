import type { FC, ReactElement } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import { Button, Content, Stack, StackItem, Tooltip } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';
import type { StuckFix } from '@peer-pods-console/contract/operations';

import type { StuckPeerPod } from '../../../api/backend';
import PodLink from '../../../components/PodLink';
import type { AccessState } from '../../../hooks/useCanEditPeerPodLimit';
import { ConfigMapModel } from '../../../models/ConfigMap';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { DEFAULT_PEER_POD_CONFIG, type PeerPodConfigKind } from '../../../models/PeerPodConfig';
import { SecretModel } from '../../../models/Secret';
import { PEER_PODS_PAGE_PATH } from '../peerPodsRoutes';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

export type StuckFixHandlers = {
  /** Opens the limit editor; undefined where there is no PeerPodConfig to edit. */
  onRaiseLimit?: () => void;
  limitAccess: AccessState;
  /** Opens the override editor of this node. */
  onRaiseOverride: (nodeName: string) => void;
  overrideAccess: AccessState;
  /** Where peer-pods-cm and peer-pods-secret are named (undefined: the operator's defaults). */
  peerPodConfig: PeerPodConfigKind | undefined;
  /** Opens the pod VM's console output. */
  onViewConsoleOutput?: (pod: StuckPeerPod) => void;
};

type StuckFixActionsProps = StuckFixHandlers & { pod: StuckPeerPod };

/** An action the user may lack the permission for: shown, but disabled with the reason on hover and focus. */
const Guarded: FC<{ access: AccessState; deniedReason: string; children: ReactElement }> = ({
  access,
  deniedReason,
  children,
}) => (access.allowed || access.loading ? children : <Tooltip content={deniedReason}>{children}</Tooltip>);

/** What fixes one stuck peer pod: a button to the editor that fixes it, or what to check and where. */
const StuckFixActions: FC<StuckFixActionsProps> = ({
  pod,
  onRaiseLimit,
  limitAccess,
  onRaiseOverride,
  overrideAccess,
  peerPodConfig,
  onViewConsoleOutput,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const namespace = peerPodConfig?.metadata?.namespace ?? DEFAULT_PEER_POD_CONFIG.namespace;
  const configMapName = peerPodConfig?.spec.configMapName || 'peer-pods-cm';
  const secretName = peerPodConfig?.spec.cloudSecretName || 'peer-pods-secret';
  const instanceType = peerPodConfig?.spec.instanceType;
  const podName = pod.name ?? t('this peer pod');

  const fixOf = (fix: StuckFix): ReactElement | null => {
    switch (fix) {
      case 'raise-limit':
        return onRaiseLimit ? (
          <Guarded
            access={limitAccess}
            deniedReason={t(
              'Changing the limit needs the permission to patch peerpodconfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
              { namespace },
            )}
          >
            <Button
              variant="link"
              isInline
              onClick={onRaiseLimit}
              isAriaDisabled={!limitAccess.allowed}
              aria-label={t('Raise the VM limit for {{pod}}', { pod: podName })}
            >
              {t('Raise the VM limit')}
            </Button>
          </Guarded>
        ) : null;
      case 'raise-override': {
        const nodeName = pod.nodeName;
        if (!nodeName) return null;
        return (
          <Guarded
            access={overrideAccess}
            deniedReason={t(
              'Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.',
            )}
          >
            <Button
              variant="link"
              isInline
              onClick={() => onRaiseOverride(nodeName)}
              isAriaDisabled={!overrideAccess.allowed}
            >
              {t('Raise the override on {{node}}', { node: nodeName })}
            </Button>
          </Guarded>
        );
      }
      case 'open-ports':
        return (
          <Link to={`${PEER_PODS_PAGE_PATH}/network-setup`}>{t('Open the ports with the Network setup wizard')}</Link>
        );
      case 'check-quota':
        return (
          <Content component="small">
            {instanceType
              ? t('Check the cloud account quota for {{instanceType}}.', { instanceType })
              : t('Check the cloud account quota for the pod VM instance type.')}
          </Content>
        );
      case 'check-config':
        return (
          <Content component="small">
            {t('Check the pod VM image and instance type in')}{' '}
            <ResourceLink
              className={RESOURCE_LINK_CLASS}
              inline
              groupVersionKind={groupVersionKindOf(ConfigMapModel)}
              name={configMapName}
              namespace={namespace}
            />
          </Content>
        );
      case 'check-credentials':
        return (
          <Content component="small">
            {t('Check the cloud credentials in')}{' '}
            <ResourceLink
              className={RESOURCE_LINK_CLASS}
              inline
              groupVersionKind={groupVersionKindOf(SecretModel)}
              name={secretName}
              namespace={namespace}
            />
          </Content>
        );
      case 'check-scheduling':
        return (
          <Content component="small">
            {t("Check the pod's node selector, affinity, tolerations and resource requests:")} <PodLink pod={pod} />
          </Content>
        );
    }
  };

  const items = pod.fixes.map((fix) => [fix, fixOf(fix)] as const).filter(([, item]) => item !== null);
  const consoleOutput =
    onViewConsoleOutput && pod.stage === 'sandbox' && pod.vmId !== null ? (
      <Button
        variant="link"
        isInline
        onClick={() => onViewConsoleOutput(pod)}
        aria-label={t('View the console output of the VM of {{pod}}', { pod: podName })}
      >
        {t('View console output')}
      </Button>
    ) : null;

  if (items.length === 0 && !consoleOutput) return <>—</>;
  return (
    <Stack>
      {items.map(([fix, item]) => (
        <StackItem key={fix}>{item}</StackItem>
      ))}
      {consoleOutput && <StackItem>{consoleOutput}</StackItem>}
    </Stack>
  );
};

export default StuckFixActions;
