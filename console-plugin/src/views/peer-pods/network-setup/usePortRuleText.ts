import { useTranslation } from 'react-i18next';

import { type PortRuleRow, ruleKeyOf, ruleSourceOf, ruleTargetOf, shortTargetName } from './portRuleRows';

/** A rule's purpose, port and planned change in the user's language (the backend's description is English). */
export const usePortRuleText = () => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const purposes: Record<string, string> = {
    'kata-agent': t('The peer pods shim reaching the kata-agent in the VM'),
    vxlan: t('The peer pods tunnel (VXLAN)'),
    'vxlan-udp': t('VXLAN traffic over UDP (optional)'),
  };
  const purposeOf = (rule: PortRuleRow): string => purposes[ruleKeyOf(rule)] ?? rule.description;
  return {
    purposeOf,
    portOf: (rule: PortRuleRow): string => `${rule.protocol.toUpperCase()} ${rule.port}`,
    /** What applying does to the rule, naming the security group or the NSG rule it lands in (its purpose aside). */
    plannedChangeOf: (rule: PortRuleRow): string => {
      const values = {
        protocol: rule.protocol.toUpperCase(),
        port: rule.port,
        group: shortTargetName(ruleTargetOf(rule)),
      };
      // Azure: a named rule of the network security group, from and to the worker subnet.
      if (rule.name) {
        const nsgRule = { ...values, rule: rule.name };
        return rule.state === 'conflicting'
          ? t(
              'Change the rule {{rule}} of the network security group {{group}} to allow {{protocol}} port {{port}} within the worker subnet',
              nsgRule,
            )
          : t(
              'Add the rule {{rule}} to the network security group {{group}}: allow {{protocol}} port {{port}} within the worker subnet',
              nsgRule,
            );
      }
      // AWS: an ingress permission of the security group, from itself or from another group.
      const source = ruleSourceOf(rule);
      return source
        ? t('Allow {{protocol}} port {{port}} into the security group {{group}} from the security group {{source}}', {
            ...values,
            source,
          })
        : t('Allow {{protocol}} port {{port}} between the instances of the security group {{group}}', values);
    },
  };
};
