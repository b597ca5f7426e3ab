// What the services offer the API, and who asks: the server (server/api.ts) calls these
// interfaces and nothing else of a service, so a service can be replaced by a fake in its tests.
import type {
  CapacityRoom,
  CapacitySummary,
  ConfigRef,
  History,
  LimitChangeResult,
  OrphanCleanupRequest,
  OrphanCleanupResult,
  PodNames,
  PortRulesApplyResult,
  PortRulesReport,
  PortRulesRequest,
  SetupReport,
  StuckPeerPods,
  VmConsoleOutput,
  VmInventory,
} from '@peer-pods-console/contract';
import type { BearerToken } from '../kube/client.ts';

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
  /**
   * The summary the live stream published last (where its next delta starts), serialised once
   * per revision and variant: what a stream sends first, and again when it cannot go on by deltas.
   */
  liveSnapshot(podNames: PodNames): { revision: number; json: () => string };
  /** Calls back with every live delta, coalesced; returns the unsubscribe function. */
  subscribeLive(listener: (update: LiveCapacityUpdate) => void): () => void;
}

/** One coalesced change of the capacity summary, from revision `from` to `to`. */
export interface LiveCapacityUpdate {
  from: number;
  to: number;
  /** The CapacityDelta's JSON for a reader with or without pod names, each built once. */
  json(podNames: PodNames): string;
}

export interface VmService {
  inventory(): Promise<VmInventory>;
  /** The serial console of a VM of the last inventory; undefined when the inventory has no such VM. */
  consoleOutput(vmId: string): Promise<VmConsoleOutput | undefined>;
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

/** A signed-in user with their own token: what a write made as that user (not as the backend) needs. */
export interface Actor {
  user: UserInfo;
  token: BearerToken;
}

/** Limit and override writes, made with the user's token so that the API server's RBAC decides. */
export interface LimitChangeService {
  /** syncConfigMap: also set PEERPODS_LIMIT_PER_NODE in the PeerPodConfig's ConfigMap to the same value. */
  changeLimit(
    config: ConfigRef,
    limit: number,
    actor: Actor,
    options?: { syncConfigMap?: boolean },
  ): Promise<LimitChangeResult>;
  /** null removes the override. */
  changeOverride(node: string, override: number | null, actor: Actor): Promise<LimitChangeResult>;
}

export interface HistoryService {
  /** Recent changes, newest first, read from the Events with the reader's own token. */
  recent(reader: BearerToken): Promise<History>;
}

/** Peer pods stuck Pending or not Running (services/stuck-service.ts). */
export interface StuckPodService {
  /** The stuck peer pods, oldest first (with `node`: those bound or pinned to it), names and messages in full. */
  stuck(options?: { node?: string }): Promise<StuckPeerPods>;
}

/** GET /capacity/room (room-service.ts). */
export interface RoomReadService {
  room(options?: { fresh?: boolean }): Promise<CapacityRoom>;
}
