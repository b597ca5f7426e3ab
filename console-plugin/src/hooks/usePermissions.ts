import { backendApi, type Permissions } from '../api/backend';
import { useBackendQuery } from './useBackendQuery';

export type PermissionsState = { permissions: Permissions | undefined; loaded: boolean; error: unknown };

/** What the signed-in user may do through the backend (answered by the backend's access reviews). */
export const usePermissions = (): PermissionsState => {
  const { data, loaded, error } = useBackendQuery(backendApi.permissions, 'permissions');
  return { permissions: data, loaded, error };
};
