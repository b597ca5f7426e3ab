import type { FC } from 'react';
import { Progress, ProgressMeasureLocation, ProgressSize, ProgressVariant } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';
import { utilisationLevelOf, utilisationOf } from './nodeCapacityRows';

const variants = {
  normal: undefined,
  warning: ProgressVariant.warning,
  danger: ProgressVariant.danger,
} as const;

/** VMs in use against the VMs the node may run; amber from 80 %, red when full or overcommitted. */
const UtilisationBar: FC<{ node: NodeCapacity }> = ({ node }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const percent = utilisationOf(node);
  if (percent === undefined) return <>—</>;
  return (
    <Progress
      value={percent}
      size={ProgressSize.sm}
      measureLocation={ProgressMeasureLocation.outside}
      variant={variants[utilisationLevelOf(node)]}
      label={t('{{percent}}%', { percent })}
      valueText={t('{{used}} of {{allocatable}} VMs in use', { used: node.used, allocatable: node.allocatable ?? 0 })}
      aria-label={t('VM utilisation of {{node}}', { node: node.name })}
    />
  );
};

export default UtilisationBar;
