import type { FC } from 'react';
import { ResourceLink } from '@openshift-console/dynamic-plugin-sdk';
import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { PeerPodConfigKind, PeerPodConfigModel } from '../../../models/PeerPodConfig';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

/** The PeerPodConfig fields that decide capacity: which object, the per-node limit, which nodes. */
const PeerPodConfigSummary: FC<{ peerPodConfig: PeerPodConfigKind }> = ({ peerPodConfig }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { limit, nodeSelector } = peerPodConfig.spec;
  const selectorLabels = Object.entries(nodeSelector ?? {});
  return (
    <DescriptionList isHorizontal isCompact aria-label={t('PeerPodConfig summary')}>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('PeerPodConfig')}</DescriptionListTerm>
        <DescriptionListDescription>
          <ResourceLink
            className={RESOURCE_LINK_CLASS}
            groupVersionKind={groupVersionKindOf(PeerPodConfigModel)}
            name={peerPodConfig.metadata?.name}
            namespace={peerPodConfig.metadata?.namespace}
          />
        </DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('VM limit per node')}</DescriptionListTerm>
        <DescriptionListDescription>{limit ?? t('Not set')}</DescriptionListDescription>
      </DescriptionListGroup>
      <DescriptionListGroup>
        <DescriptionListTerm>{t('Node selector')}</DescriptionListTerm>
        <DescriptionListDescription>
          {selectorLabels.length === 0 ? (
            t('All nodes')
          ) : (
            <LabelGroup numLabels={selectorLabels.length}>
              {selectorLabels.map(([key, value]) => (
                <Label key={key} isCompact>
                  {value ? `${key}=${value}` : key}
                </Label>
              ))}
            </LabelGroup>
          )}
        </DescriptionListDescription>
      </DescriptionListGroup>
    </DescriptionList>
  );
};

export default PeerPodConfigSummary;
