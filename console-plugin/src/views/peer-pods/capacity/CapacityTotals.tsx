import type { FC, ReactNode } from 'react';
import {
  Card,
  CardBody,
  DescriptionList,
  DescriptionListGroup,
  DescriptionListDescription,
  DescriptionListTerm,
  Flex,
  FlexItem,
  Gallery,
  Icon,
} from '@patternfly/react-core';
import { ExclamationTriangleIcon } from '@patternfly/react-icons';
import t_global_font_line_height_heading from '@patternfly/react-tokens/dist/esm/t_global_font_line_height_heading';
import t_global_font_size_heading_h2 from '@patternfly/react-tokens/dist/esm/t_global_font_size_heading_h2';
import t_global_font_weight_heading_default from '@patternfly/react-tokens/dist/esm/t_global_font_weight_heading_default';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom-v5-compat';

import type { CapacitySummary } from '../../../api/backend';
import { ORPHAN_VMS_PATH } from '../virtual-machines/vmTabLinks';

// One large number per card, in the theme's own type scale.
const totalStyle = {
  fontSize: t_global_font_size_heading_h2.var,
  fontWeight: t_global_font_weight_heading_default.var,
  lineHeight: t_global_font_line_height_heading.var,
};

type TotalProps = {
  term: string;
  value: ReactNode;
  /** One line under the number: what it counts. */
  help: ReactNode;
  /** A number that needs attention gets a warning icon. */
  needsAttention?: boolean;
};

const Total: FC<TotalProps> = ({ term, value, help, needsAttention = false }) => (
  <Card isCompact isFullHeight>
    <CardBody>
      <DescriptionList>
        <DescriptionListGroup>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>
            <Flex spaceItems={{ default: 'spaceItemsSm' }} alignItems={{ default: 'alignItemsCenter' }}>
              <FlexItem style={totalStyle}>{value}</FlexItem>
              {needsAttention && (
                <FlexItem>
                  <Icon status="warning">
                    <ExclamationTriangleIcon />
                  </Icon>
                </FlexItem>
              )}
            </Flex>
            <div>{help}</div>
          </DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>
    </CardBody>
  </Card>
);

/** The cluster's peer-pod VM totals: capacity, use, what waits, and what escapes the accounting. */
const CapacityTotals: FC<{ summary: CapacitySummary }> = ({ summary }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const { totals, orphans } = summary;
  return (
    <Gallery hasGutter minWidths={{ default: '10rem' }} component="section" aria-label={t('Cluster totals')}>
      <Total
        term={t('Capacity')}
        value={totals.capacity}
        help={t('VMs on {{advertised}} of {{matching}} nodes', {
          advertised: totals.advertisedNodes,
          matching: totals.matchingNodes,
        })}
      />
      <Total term={t('In use')} value={totals.used} help={t('VMs requested by peer pods')} />
      <Total term={t('Free')} value={totals.free} help={t('VMs the scheduler can still place')} />
      <Total
        term={t('Pending')}
        value={totals.pendingForCapacity}
        help={t('Peer pods waiting for capacity')}
        needsAttention={totals.pendingForCapacity > 0}
      />
      <Total term={t('VMs')} value={totals.vms} help={t('Peer pod VMs found in the cloud')} />
      <Total
        term={t('Orphans')}
        value={orphans ?? t('Unknown')}
        help={
          orphans === null ? (
            t('The cloud inventory has not been read yet')
          ) : (
            <Link to={ORPHAN_VMS_PATH}>{t('VMs that no pod owns')}</Link>
          )
        }
        needsAttention={(orphans ?? 0) > 0}
      />
      <Total
        term={t('Unaccounted')}
        value={totals.unaccounted}
        help={t('Peer pods the scheduler does not count')}
        needsAttention={totals.unaccounted > 0}
      />
    </Gallery>
  );
};

export default CapacityTotals;
