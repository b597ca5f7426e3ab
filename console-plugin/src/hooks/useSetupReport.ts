import { backendApi, type SetupReport } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

export type SetupReportState = {
  report: SetupReport | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
  refreshing: boolean;
};

/** The backend's setup checklist (GET /api/v1/setup), asked once on mount and again on refresh(). */
export const useSetupReport = (): SetupReportState => {
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(backendApi.setup, 'setup');
  return { report: data, loaded, error, refresh, refreshing };
};
