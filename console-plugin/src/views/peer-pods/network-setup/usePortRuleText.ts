import { useTranslation } from 'react-i18next';

import { type PortRuleRow, ruleKeyOf } from './portRuleRows';

/** A rule's purpose and port in the user's language (the backend's description is English). */
export const usePortRuleText = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const purposes: Record<string, string> = {
    'kata-agent': t('The peer pods shim reaching the kata-agent in the VM'),
    vxlan: t('The peer pods tunnel (VXLAN)'),
    'vxlan-udp': t('VXLAN traffic over UDP (optional)'),
  };
  return {
    purposeOf: (rule: PortRuleRow): string => purposes[ruleKeyOf(rule)] ?? rule.description,
    portOf: (rule: PortRuleRow): string => `${rule.protocol.toUpperCase()} ${rule.port}`,
  };
};
