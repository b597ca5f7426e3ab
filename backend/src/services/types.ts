// What the services offer the API, and who asks: the server (server/api.ts) calls these
// interfaces and nothing else of a service, so a service can be replaced by a fake in its tests.
import type {
  CapacitySummary,
  OrphanCleanupRequest,
  OrphanCleanupResult,
  PodNames,
  PortRulesApplyResult,
  PortRulesReport,
  PortRulesRequest,
  SetupReport,
  VmInventory,
} from '@peer-pods-console/contract';

/** The signed-in user, as the API server's TokenReview names them; the actor of every cloud change. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface CapacityService {
  /** The snapshot, with pod namespaces and names or without them. */
  snapshot(podNames: PodNames): CapacitySummary;
  /** The same snapshot, serialised once per revision and variant; the ETag differs per variant. */
  snapshotJson(podNames: PodNames): { revision: number; etag: string; json: string; gzip: () => Buffer };
  /** Calls back on every change of the snapshot; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export interface VmService {
  inventory(): Promise<VmInventory>;
  cleanup(request: OrphanCleanupRequest, actor: UserInfo): Promise<OrphanCleanupResult>;
}

export interface PortRuleService {
  /** `fresh`: read the cloud now (a person asked), and share that reading with later callers. */
  status(request: PortRulesRequest, options?: { fresh?: boolean }): Promise<PortRulesReport>;
  apply(request: PortRulesRequest, actor: UserInfo): Promise<PortRulesApplyResult>;
}

export interface SetupReportService {
  /** The setup checklist; answers within its checks' deadline. */
  report(): Promise<SetupReport>;
}
