import { backendApi, type VmConsoleOutput } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

export type VmConsoleOutputState = {
  output: VmConsoleOutput | undefined;
  loaded: boolean;
  error: unknown;
  refresh: () => void;
  refreshing: boolean;
};

/** A pod VM's serial console as the cloud captured it (read once, and again on refresh). */
export const useVmConsoleOutput = (vmId: string): VmConsoleOutputState => {
  const { data, loaded, error, refresh, refreshing } = useBackendQuery(
    () => backendApi.vmConsoleOutput(vmId),
    `console-output:${vmId}`,
  );
  const output = data && data.vmId === vmId ? data : undefined;
  return { output, loaded, error, refresh, refreshing };
};
