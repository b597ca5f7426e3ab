import type { FC } from 'react';
import {
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Stack,
  StackItem,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRulesReport } from '../../../api/backend';
import DiscoveryCommands from './DiscoveryCommands';
import StepHeading from './StepHeading';

/** Step 2: where the rules live — the worker's security groups, or the NSG of the worker subnet. */
const DiscoveryStep: FC<{ report: PortRulesReport }> = ({ report }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const terms: Record<string, string> = {
    region: t('Region'),
    workerInstanceId: t('Worker instance'),
    securityGroups: t('Security groups'),
    podVmSecurityGroups: t('Pod VM security groups'),
    resourceGroup: t('Resource group'),
    networkSecurityGroup: t('Network security group'),
    virtualNetwork: t('Virtual network'),
    subnet: t('Worker subnet'),
  };
  return (
    <Stack hasGutter>
      <StackItem>
        <StepHeading>{t('Discovery')}</StepHeading>
      </StackItem>
      <StackItem>
        <Content component="p">
          {report.platform === 'aws'
            ? t(
                'Found from a worker node that peer pods run on: its EC2 instance (from spec.providerID), its region and its security groups.',
              )
            : t(
                'Found from a worker node that peer pods run on: the cluster’s resource group, its network security group, the virtual network and the worker subnet.',
              )}
        </Content>
      </StackItem>
      <StackItem>
        <DescriptionList isHorizontal aria-label={t('Discovered network resources')}>
          {Object.entries(report.target).map(([key, value]) => (
            <DescriptionListGroup key={key}>
              <DescriptionListTerm>{terms[key] ?? key}</DescriptionListTerm>
              <DescriptionListDescription>{value}</DescriptionListDescription>
            </DescriptionListGroup>
          ))}
        </DescriptionList>
      </StackItem>
      {report.discoveryCommands && report.discoveryCommands.length > 0 && (
        <StackItem>
          <DiscoveryCommands platform={report.platform} commands={report.discoveryCommands} />
        </StackItem>
      )}
    </Stack>
  );
};

export default DiscoveryStep;
