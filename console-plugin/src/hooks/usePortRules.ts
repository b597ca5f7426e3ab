import { backendApi, type PortRulesReport } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

export type PortRulesState = {
  /** The last report; kept while a newer one (another includeUdp, a refresh) is on its way. */
  report: PortRulesReport | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
  refreshing: boolean;
};

/**
 * Which of the ports peer pods need are open between worker nodes and pod VMs: the backend
 * detects the platform, discovers the security group / NSG and plans the missing rules.
 */
export const usePortRules = (includeUdp: boolean): PortRulesState => {
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(
    () => backendApi.ports(includeUdp),
    includeUdp ? 'ports:tcp+udp' : 'ports:tcp',
  );
  return { report: data, loaded, error, refresh, refreshing };
};
