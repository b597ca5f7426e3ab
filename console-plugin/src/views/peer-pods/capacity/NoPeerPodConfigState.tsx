import type { FC } from 'react';
import {
  EmptyState,
  EmptyStateActions,
  EmptyStateBody,
  EmptyStateFooter,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { CubesIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';

import CopyableCodeBlock from '../../../components/CopyableCodeBlock';
import { DEFAULT_PEER_POD_CONFIG, PeerPodConfigModel } from '../../../models/PeerPodConfig';

// The documented default object (product docs); the limit and selector are the operator's defaults.
const examplePeerPodConfigYaml = `apiVersion: ${PeerPodConfigModel.apiGroup}/${PeerPodConfigModel.apiVersion}
kind: ${PeerPodConfigModel.kind}
metadata:
  name: ${DEFAULT_PEER_POD_CONFIG.name}
  namespace: ${DEFAULT_PEER_POD_CONFIG.namespace}
spec:
  cloudSecretName: peer-pods-secret
  configMapName: peer-pods-cm
  limit: "10"
  nodeSelector:
    node-role.kubernetes.io/kata-oc: ""
`;

// The console's own "create from YAML" page for this kind, in the operator's namespace.
const createPeerPodConfigPath = `/k8s/ns/${DEFAULT_PEER_POD_CONFIG.namespace}/${PeerPodConfigModel.apiGroup}~${PeerPodConfigModel.apiVersion}~${PeerPodConfigModel.kind}/~new`;

/** Shown when the cluster has no PeerPodConfig: what that means and how to create one. */
const NoPeerPodConfigState: FC = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <EmptyState titleText={t('No PeerPodConfig found')} headingLevel="h2" icon={CubesIcon}>
      <EmptyStateBody>
        <Stack hasGutter>
          <StackItem>
            {t(
              'Peer pods are not configured on this cluster: there is no PeerPodConfig {{name}} in the namespace {{namespace}}.',
              { name: DEFAULT_PEER_POD_CONFIG.name, namespace: DEFAULT_PEER_POD_CONFIG.namespace },
            )}
          </StackItem>
          <StackItem>
            {t(
              'The OpenShift sandboxed containers operator creates it when peer pods are enabled. You can also create it yourself, for example with oc apply -f and this YAML:',
            )}
          </StackItem>
          <StackItem>
            <CopyableCodeBlock code={examplePeerPodConfigYaml} copyAriaLabel={t('Copy the PeerPodConfig YAML')} />
          </StackItem>
        </Stack>
      </EmptyStateBody>
      <EmptyStateFooter>
        <EmptyStateActions>
          <Link to={createPeerPodConfigPath}>{t('Create PeerPodConfig')}</Link>
        </EmptyStateActions>
      </EmptyStateFooter>
    </EmptyState>
  );
};

export default NoPeerPodConfigState;
