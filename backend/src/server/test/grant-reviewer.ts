// A stand-in for the access reviewer in route tests: the bearer token is the user's name, and
// each user may do what the test grants them. Pods and Events are granted as cluster-wide lists
// only, the cloud credentials Secret to get only: what the routes ask for.
import type { UserInfo } from '../../services/types.ts';
import type { AccessReviewer, Permission } from '../auth.ts';

export type Grant = 'nodes' | 'pods' | 'events' | 'secret';

export function grantReviewer(grants: Record<string, Grant[]>): AccessReviewer {
  const reviewer = {
    async authenticate(token: string): Promise<UserInfo | null> {
      return { username: token, groups: ['system:authenticated'] };
    },
    async check(user: UserInfo, permission: Permission): Promise<{ allowed: boolean; reason: string }> {
      const granted = new Set(grants[user.username] ?? []);
      const clusterWideList = permission.verb === 'list' && !permission.namespace && !permission.group;
      const allowed =
        (permission.resource === 'nodes' && granted.has('nodes')) ||
        (permission.resource === 'pods' && clusterWideList && granted.has('pods')) ||
        (permission.resource === 'events' && clusterWideList && granted.has('events')) ||
        (permission.resource === 'secrets' && permission.verb === 'get' && granted.has('secret'));
      return { allowed, reason: '' };
    },
  };
  return reviewer as unknown as AccessReviewer;
}
