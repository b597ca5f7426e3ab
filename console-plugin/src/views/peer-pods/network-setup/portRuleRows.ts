// How the wizard reads the backend's port-rule report (backend/src/services/cloud-service.ts): a
// rule's id is `<rule key>/<target id>` (target: AWS security group or Azure NSG), or on AWS
// `<rule key>/<target group>/<source group>` when the traffic comes from another security group
// (AWS_SG_IDS); an apply result names the rules by the same id.
import type { PortRulesApplyResult, PortRulesReport } from '../../../api/backend';

export type PortRuleRow = PortRulesReport['rules'][number];
export type PortRuleApplyOutcome = PortRulesApplyResult['results'][number];

/** `kata-agent`, `vxlan` or `vxlan-udp` (backend/src/cloud/port-rules.ts). */
export const ruleKeyOf = (rule: Pick<PortRuleRow, 'id'>): string => rule.id.split('/')[0] ?? rule.id;

/** What follows the rule key: an Azure NSG id (it starts with `/`), or AWS `<target>[/<source>]`. */
const rulePlaceOf = (rule: Pick<PortRuleRow, 'id'>): string => {
  const slash = rule.id.indexOf('/');
  return slash < 0 ? '' : rule.id.slice(slash + 1);
};

/** The security group (AWS) or network security group (Azure) the rule belongs to. */
export const ruleTargetOf = (rule: Pick<PortRuleRow, 'id'>): string => {
  const place = rulePlaceOf(rule);
  return place.startsWith('/') ? place : (place.split('/')[0] ?? place);
};

/** AWS: the security group the rule lets in, when it is not the target itself. */
export const ruleSourceOf = (rule: Pick<PortRuleRow, 'id'>): string | undefined => {
  const place = rulePlaceOf(rule);
  return place.startsWith('/') ? undefined : place.split('/')[1];
};

/** Rules that need a change: missing ones are created, conflicting ones set to the required settings. */
export const rulesToChange = (report: PortRulesReport): PortRuleRow[] =>
  report.rules.filter((rule) => rule.state !== 'present');

export const everythingOpen = (report: PortRulesReport): boolean =>
  report.rules.length > 0 && rulesToChange(report).length === 0;

/** An Azure ARM id is long; its last segment is the name an admin knows. */
export const shortTargetName = (target: string): string =>
  target.startsWith('/') ? (target.split('/').filter(Boolean).pop() ?? target) : target;
