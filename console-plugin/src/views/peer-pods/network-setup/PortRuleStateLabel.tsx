import type { FC } from 'react';
import { Label } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { PortRuleRow } from './portRuleRows';

const PortRuleStateLabel: FC<{ state: PortRuleRow['state'] }> = ({ state }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  switch (state) {
    case 'present':
      return <Label status="success">{t('Present')}</Label>;
    case 'missing':
      return <Label status="warning">{t('Missing')}</Label>;
    case 'conflicting':
      return <Label status="danger">{t('Conflicting')}</Label>;
  }
};

export default PortRuleStateLabel;
