// The plugin's typed client for its backend. The console's bridge proxies
// /api/proxy/plugin/<plugin>/<alias>/ to the backend Service with the signed-in user's token, so
// every call below runs with that user's RBAC. Types come from the contract package (type-only
// imports: nothing of zod reaches the browser bundle).
import { consoleFetchJSON } from '@openshift-console/dynamic-plugin-sdk';
import { API_PREFIX } from '@peer-pods-console/contract/endpoints';
import type {
  CapacityDelta,
  CapacitySummary,
  History,
  HistoryEntry,
  LimitChangeResult,
  NodeCapacity,
  NodeCapacityDetail,
  OrphanCleanupRequest,
  OrphanCleanupResult,
  PendingPeerPod,
  PodNames,
  PortRulesApplyResult,
  PortRulesReport,
  Permissions,
  SetupCheck,
  SetupFix,
  SetupReport,
  StuckPeerPod,
  StuckPeerPods,
  UnaccountedPeerPod,
  VmConsoleOutput,
  VmInventory,
  CapacityRoom,
  VcpuQuota,
  VmSize,
} from '@peer-pods-console/contract';

export type {
  CapacityDelta,
  CapacityRoom,
  VcpuQuota,
  VmSize,
  CapacitySummary,
  History,
  HistoryEntry,
  LimitChangeResult,
  NodeCapacity,
  NodeCapacityDetail,
  OrphanCleanupRequest,
  OrphanCleanupResult,
  PendingPeerPod,
  PodNames,
  PortRulesApplyResult,
  PortRulesReport,
  Permissions,
  SetupCheck,
  SetupFix,
  SetupReport,
  StuckPeerPod,
  StuckPeerPods,
  UnaccountedPeerPod,
  VmConsoleOutput,
  VmInventory,
};

/** The plugin name and the proxy alias declared in the ConsolePlugin resource (charts/). */
export const BACKEND_PROXY_BASE = '/api/proxy/plugin/peer-pods-console-plugin/backend';
export const BACKEND_API_BASE = `${BACKEND_PROXY_BASE}${API_PREFIX}`;

export const backendUrl = (path: string): string => `${BACKEND_API_BASE}${path.startsWith('/') ? path : `/${path}`}`;

/** Every backend call the plugin makes. Components reach these only through the hooks in hooks/. */
export const backendApi = {
  capacity: (): Promise<CapacitySummary> => consoleFetchJSON(backendUrl('/capacity')),
  nodeCapacity: (name: string): Promise<NodeCapacityDetail> =>
    consoleFetchJSON(backendUrl(`/capacity/nodes/${encodeURIComponent(name)}`)),
  vms: (): Promise<VmInventory> => consoleFetchJSON(backendUrl('/vms')),
  cleanupVms: (request: OrphanCleanupRequest): Promise<OrphanCleanupResult> =>
    consoleFetchJSON.post(backendUrl('/vms/cleanup'), request),
  // fresh: what the wizard shows is what the cloud holds now, not a reading shared with others.
  ports: (includeUdp = false): Promise<PortRulesReport> =>
    consoleFetchJSON(backendUrl(`/ports?fresh=true${includeUdp ? '&includeUdp=true' : ''}`)),
  applyPorts: (includeUdp = false): Promise<PortRulesApplyResult> =>
    consoleFetchJSON.post(backendUrl('/ports/apply'), { includeUdp }),
  permissions: (): Promise<Permissions> => consoleFetchJSON(backendUrl('/permissions')),
  setup: (): Promise<SetupReport> => consoleFetchJSON(backendUrl('/setup')),
  /** The stuck peer pods of the cluster, or of one node (the pods bound or pinned to it). */
  stuck: (nodeName?: string): Promise<StuckPeerPods> =>
    consoleFetchJSON(backendUrl(nodeName ? `/stuck?node=${encodeURIComponent(nodeName)}` : '/stuck')),
  vmConsoleOutput: (vmId: string): Promise<VmConsoleOutput> =>
    consoleFetchJSON(backendUrl(`/vms/${encodeURIComponent(vmId)}/console-output`)),
  history: (): Promise<History> => consoleFetchJSON(backendUrl('/history')),
  /** Written with the signed-in user's token; the backend records the change as an Event naming the user. */
  /** syncConfigMap: also set PEERPODS_LIMIT_PER_NODE in peer-pods-cm to the same value. */
  setLimit: (
    config: { namespace: string; name: string },
    limit: number,
    options: { syncConfigMap?: boolean } = {},
  ): Promise<LimitChangeResult> =>
    consoleFetchJSON.put(
      backendUrl(`/configs/${encodeURIComponent(config.namespace)}/${encodeURIComponent(config.name)}/limit`),
      options.syncConfigMap ? { limit, syncConfigMap: true } : { limit },
    ),
  /** The promise of the limits against the cloud account's vCPU quota, and the sizes peer pods get. */
  room: (options: { fresh?: boolean } = {}): Promise<CapacityRoom> =>
    consoleFetchJSON(backendUrl(options.fresh ? '/capacity/room?fresh=true' : '/capacity/room')),
  /** null removes the override. */
  setNodeOverride: (node: string, override: number | null): Promise<LimitChangeResult> =>
    consoleFetchJSON.put(backendUrl(`/nodes/${encodeURIComponent(node)}/override`), { override }),
};

export type BackendApi = typeof backendApi;
