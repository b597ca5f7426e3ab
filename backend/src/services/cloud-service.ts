// Cloud VM management for the API: reads the cloud settings the way the cloud-api-adaptor does
// (the PeerPodConfig names a Secret and a ConfigMap; the Infrastructure gives platform, region
// and resource group), keeps a periodic inventory of peer-pod VMs correlated with pods and
// PeerPods, and runs port-rule and orphan-cleanup actions on behalf of the signed-in user, each
// audited as a Kubernetes Event on the PeerPodConfig and a log line.
import type { V1NodeList } from '@kubernetes/client-node';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type {
  OrphanCleanupRequest,
  OrphanCleanupResult,
  PeerPodVm as ApiVm,
  PortRule,
  PortRulesApplyResult,
  PortRulesReport,
  PortRulesRequest,
  VmConsoleOutput,
  VmInventory,
} from '@peer-pods-console/contract';
import type { PeerPodView, PodView } from '../capacity/objects.ts';
import { checkConfirmation, confirmationKey, issueConfirmation, NOT_OFFERED } from '../cloud/cleanup-confirmation.ts';
import {
  CloudError,
  DeletionLedger,
  cleanupOrphans,
  cloudModule,
  clusterIdentityFromSettings,
  correlateInventory,
  createCloudProvider,
  describeClusterScope,
  parseCloudSettings,
  planOrphanCleanup,
  type AuditEvent,
  type CloudProvider,
  type CloudSettings,
  type ClusterIdentity,
  type CorrelatedVm,
  type CreateCloudProviderOptions,
  type InfrastructureLike,
  type InventoryReport,
  type PeerPodLike,
  type PeerPodVm,
  type PlannedPortRule,
  type PodLike,
  type PortRuleKey,
  type PortRulePlan,
} from '../cloud/index.ts';
import type { KubeClient } from '../kube/client.ts';
import type { EventRecorder } from '../kube/events.ts';
import {
  cloudObjectRefs,
  PeerPodConfigResolver,
  type ObjectRef,
  type PeerPodConfigObject,
  type ResolvedPeerPodConfig,
} from '../kube/peer-pod-config-resolver.ts';
import { CloudRequestError, NotConfiguredError, NotConfirmedError, NotReadyError, ServiceError } from './errors.ts';
import type { PortRuleService, UserInfo, VmService } from './types.ts';

/** Endpoint overrides of the configuration are handed to the cloud's module as they are. */
export interface CloudServiceOptions extends CreateCloudProviderOptions {
  /** The backend's own client (its service account). */
  client: KubeClient;
  logger: Logger;
  recorder: EventRecorder;
  peerPodConfig: { namespace: string; name: string };
  orphanGraceMs: number;
  inventoryIntervalMs: number;
  /** The capacity informers' caches: peer pods and PeerPods as they are now. */
  pods: () => Iterable<PodView>;
  peerPods: () => Iterable<PeerPodView>;
  /**
   * Peer pods and PeerPods read from the API server itself (a consistent list), for cleanup:
   * an informer whose watch keeps failing keeps its old cache, and a VM of a pod created since
   * would look orphaned there.
   */
  claimsNow: () => Promise<{ pods: PodView[]; peerPods: PeerPodView[] }>;
  /** Whether those caches have been listed at all; cleanup is refused before. */
  claimsSynced: () => boolean;
  /**
   * The room service's size cache: `learn` describes the sizes the inventory saw (once an hour),
   * `sizeOf` answers from what was described; undefined: not read yet.
   */
  sizes?: {
    learn(provider: CloudProvider, instanceTypes: string[]): Promise<void>;
    sizeOf(instanceType: string): { vcpus: number; memoryMiB: number } | undefined;
  };
  /** Called with every new inventory (feeds the capacity model's VMs per node). */
  onInventory?: (report: InventoryReport) => void;
  /** How long one reading of the port rules serves every reader (ms); default 15 s. */
  portStatusTtlMs?: number;
}

interface LoadedCloud {
  fingerprint: string;
  settings: CloudSettings;
  provider: CloudProvider;
  /** The ConfigMap the settings came from (the PeerPodConfig names it). */
  configMap: ObjectRef;
  /** Signs and checks cleanup confirmations (cloud/cleanup-confirmation.ts). */
  confirmationKey: Buffer;
}

/** Why a VM a cleanup deleted is still listed: the cloud removes it after answering, or the listing is older. */
const BEING_DELETED = 'A cleanup deleted this VM; the cloud has not removed it yet.';

const STATE_WORDS: Record<string, ApiVm['state']> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  terminating: 'deleting',
  terminated: 'deleted',
  failed: 'unknown',
  unknown: 'unknown',
};

function podLike(pod: PodView): PodLike {
  return {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
      deletionTimestamp: pod.terminating ? new Date(0).toISOString() : undefined,
    },
    spec: { nodeName: pod.nodeName, runtimeClassName: pod.runtimeClassName },
    status: { phase: pod.phase },
  };
}

function peerPodLike(peerPod: PeerPodView): PeerPodLike {
  return {
    metadata: {
      name: peerPod.metadata.name,
      namespace: peerPod.metadata.namespace,
      uid: peerPod.metadata.uid,
      ownerReferences: peerPod.podUid ? [{ kind: 'Pod', name: peerPod.podName, uid: peerPod.podUid }] : [],
    },
    spec: { cloudProvider: peerPod.cloudProvider, instanceID: peerPod.instanceID },
  };
}

/**
 * A port rule's id in the API: `<rule key>/<target>`, or `<rule key>/<target>/<source>` for a rule
 * whose source is another security group (the wizard reads the parts back).
 */
function portRuleId(rule: { key: PortRuleKey; targetId: string; sourceId?: string }): string {
  return rule.sourceId ? `${rule.key}/${rule.targetId}/${rule.sourceId}` : `${rule.key}/${rule.targetId}`;
}

/** Nodes read for this cluster's network (resolveClusterScope): all of them share it, so a few are plenty. */
const SCOPE_NODES = 100;

/** Cloud errors carry no secrets and say what to do; they reach the UI as they are. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof CloudError ? new CloudRequestError(err.code, err.message) : err;
  }
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof CloudError) return { code: err.code, message: err.message };
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'the cloud request failed; see the backend log' };
}

export class CloudService implements VmService, PortRuleService {
  private loaded: LoadedCloud | undefined;
  private lastReport: InventoryReport | undefined;
  private lastScope: VmInventory['scope'] = null;
  private lastError: { code: string; message: string } | undefined;
  private refreshing: Promise<InventoryReport | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly ledger = new DeletionLedger();
  private readonly peerPodConfig: PeerPodConfigResolver;

  /**
   * Port rule status, one cloud reading shared by every reader: a discovery costs about four API
   * server reads and DescribeInstances + DescribeSecurityGroups (or their equivalents elsewhere), and
   * the account's API rate limit is the one cloud-api-adaptor needs to create VMs. lru-cache's
   * fetch joins concurrent misses into one reading and keeps no failure.
   */
  private readonly portStatus: LRUCache<'tcp' | 'tcp+udp', PortRulesReport>;
  private credentialRef: { at: number; ref: { namespace: string; name: string } } | undefined;

  constructor(private readonly options: CloudServiceOptions) {
    this.peerPodConfig = new PeerPodConfigResolver(options.client, options.peerPodConfig);
    this.portStatus = new LRUCache({
      max: 2,
      ttl: options.portStatusTtlMs ?? 15_000,
      fetchMethod: async (key) => this.report((await this.plan({ includeUdp: key === 'tcp+udp' })).plan),
    });
  }

  start(): void {
    const tick = () => {
      void this.refreshInventory().finally(() => {
        this.timer = setTimeout(tick, this.options.inventoryIntervalMs);
        this.timer.unref();
      });
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * The cloud as the settings objects describe it now (re-read; the provider is rebuilt only when
   * they changed), for the room service. Throws NotConfiguredError / CloudRequestError.
   */
  async loadedCloud(): Promise<{ provider: CloudProvider; settings: CloudSettings; configMap: ObjectRef }> {
    const { provider, settings, configMap } = await guarded(() => this.cloud());
    return { provider, settings, configMap };
  }

  orphanCount(): number | null {
    return this.lastReport ? this.lastReport.orphans.filter((entry) => !this.ledger.has(entry.vm.id)).length : null;
  }

  /**
   * The listing with the VMs a cleanup deleted (or is deleting) as being deleted: the cloud may list
   * one alive a while after answering, and it is no orphan any more.
   */
  private withDeletions(vms: readonly PeerPodVm[]): PeerPodVm[] {
    return vms.map((vm) =>
      this.ledger.has(vm.id) && vm.state !== 'terminating' && vm.state !== 'terminated'
        ? { ...vm, state: 'terminating' }
        : vm,
    );
  }

  /** The PeerPodConfig and what it names, or the error that says to create it. */
  private async requirePeerPodConfig(): Promise<ResolvedPeerPodConfig & { config: PeerPodConfigObject }> {
    const resolved = await this.peerPodConfig.resolve();
    if (resolved.config) return { ...resolved, config: resolved.config };
    const { namespace, name } = this.options.peerPodConfig;
    throw new NotConfiguredError(
      `PeerPodConfig ${namespace}/${name} does not exist; install OpenShift sandboxed containers and create it`,
    );
  }

  /** Re-reads the settings objects; builds a new provider only when one of them changed. */
  private async cloud(): Promise<LoadedCloud> {
    const { config, secret: secretRef, configMap: configMapRef } = await this.requirePeerPodConfig();
    const notFound = (kind: string, ref: ObjectRef) =>
      new NotConfiguredError(
        `${kind} ${ref.namespace}/${ref.name} named by PeerPodConfig ${this.options.peerPodConfig.name} does not exist; create it with the keys the setup checklist lists`,
      );
    const [secret, configMap, infrastructure] = await Promise.all([
      this.peerPodConfig.readSecret(secretRef),
      this.peerPodConfig.readConfigMap(configMapRef),
      this.options.client
        .request<InfrastructureLike & { metadata?: { resourceVersion?: string } }>({
          method: 'GET',
          path: '/apis/config.openshift.io/v1/infrastructures/cluster',
        })
        .catch(() => undefined),
    ]);
    if (!secret) throw notFound('Secret', secretRef);
    if (!configMap) throw notFound('ConfigMap', configMapRef);
    const fingerprint = [
      config.metadata?.resourceVersion,
      secret.metadata?.resourceVersion,
      configMap.metadata?.resourceVersion,
      infrastructure?.metadata?.resourceVersion,
    ].join('/');
    if (this.loaded?.fingerprint === fingerprint) return this.loaded;
    const settings = parseCloudSettings({
      configMap: { metadata: configMap.metadata, data: configMap.data },
      // Secret data stays base64 here: the parser decodes it and wraps each value so it cannot be logged.
      secret: { metadata: secret.metadata, data: secret.data },
      infrastructure,
    });
    const provider = createCloudProvider(settings, this.options);
    this.loaded = {
      fingerprint,
      settings,
      provider,
      configMap: configMapRef,
      confirmationKey: confirmationKey(secret.data),
    };
    this.options.logger.info({ provider: provider.name }, 'cloud settings loaded');
    return this.loaded;
  }

  private audit(event: AuditEvent): void {
    const { namespace, name } = this.options.peerPodConfig;
    this.options.logger.info({ audit: event }, event.message);
    const failed = event.result === 'failed' || event.result === 'refused';
    this.options.recorder.event(
      { apiVersion: 'confidentialcontainers.org/v1alpha1', kind: 'PeerPodConfig', namespace, name },
      failed ? 'Warning' : 'Normal',
      failed ? 'PortRuleChangeFailed' : 'PortRuleChanged',
      `${event.user}: ${event.message} [${event.cloudIds.join(', ')}]`,
    );
  }

  /**
   * One cleanup's audit: every event in the log, and in the API server one Event per outcome —
   * deleted, refused, failed — naming the VMs, so a request naming 500 unknown ids writes one
   * Warning, not 500, and a refusal is not filed as a deletion.
   */
  private auditCleanup(user: string, events: AuditEvent[]): void {
    const { namespace, name } = this.options.peerPodConfig;
    for (const event of events) this.options.logger.info({ audit: event }, event.message);
    const groups: [AuditEvent['result'][], 'Normal' | 'Warning', string, string][] = [
      [['succeeded', 'already-done'], 'Normal', 'PeerPodVmDeleted', 'deleted'],
      [['refused'], 'Warning', 'PeerPodVmDeleteRefused', 'refused to delete'],
      [['failed'], 'Warning', 'PeerPodVmDeleteFailed', 'could not delete'],
    ];
    for (const [results, type, reason, verb] of groups) {
      const matching = events.filter((e) => results.includes(e.result));
      if (matching.length === 0) continue;
      const shown = matching.slice(0, 10).map((e) => `${e.message} [${e.cloudIds.join(', ')}]`);
      const more = matching.length > shown.length ? ` … and ${matching.length - shown.length} more` : '';
      this.options.recorder.event(
        { apiVersion: 'confidentialcontainers.org/v1alpha1', kind: 'PeerPodConfig', namespace, name },
        type,
        reason,
        `${user}: ${verb} ${matching.length} peer-pod VM(s): ${shown.join('; ')}${more}`,
      );
    }
  }

  private listNodes(query: { labelSelector?: string; limit: number }): Promise<V1NodeList> {
    return this.options.client.request<V1NodeList>({ method: 'GET', path: '/api/v1/nodes', query });
  }

  /** The spec.providerID of the cluster's nodes: the provider may bound the scope by their network. */
  private async nodeProviderIds(): Promise<string[]> {
    const nodes = await this.listNodes({ limit: SCOPE_NODES });
    return nodes.items.flatMap((node) => (node.spec?.providerID ? [node.spec.providerID] : []));
  }

  /** This cluster's VMs in the cloud: what its module reads of peer-pods-cm, completed by the provider. */
  private clusterScope(provider: CloudProvider, settings: CloudSettings): Promise<ClusterIdentity> {
    return provider.resolveClusterScope(clusterIdentityFromSettings(settings), () => this.nodeProviderIds());
  }

  /** Lists this cluster's peer-pod VMs and correlates them; one refresh runs at a time. */
  refreshInventory(): Promise<InventoryReport | undefined> {
    this.refreshing ??= (async () => {
      try {
        const { provider, settings } = await this.cloud();
        const scope = await this.clusterScope(provider, settings);
        const { vms, excluded } = await provider.listPeerPodVms(scope, { countExcluded: true });
        // The sizes' vCPUs and memory for the inventory's columns; without them the columns stay empty.
        await this.options.sizes
          ?.learn(provider, [...new Set(vms.flatMap((vm) => vm.instanceType ?? []))])
          .catch((err: unknown) =>
            this.options.logger.warn({ error: errorOf(err) }, 'could not describe the VM sizes of the inventory'),
          );
        const report = correlateInventory({
          provider: provider.name,
          vms: this.withDeletions(vms),
          pods: [...this.options.pods()].map(podLike),
          peerPods: [...this.options.peerPods()].map(peerPodLike),
          gracePeriodMs: this.options.orphanGraceMs,
        });
        this.lastReport = report;
        this.lastScope = { description: describeClusterScope(scope), excluded };
        this.lastError = undefined;
        this.options.onInventory?.(report);
        return report;
      } catch (err) {
        this.lastError = errorOf(err);
        this.options.logger.warn({ error: this.lastError }, 'cloud inventory failed');
        return undefined;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** A listing begun after a change: the one in flight may have read the cloud before it. */
  private async refreshAfterChange(): Promise<void> {
    await this.refreshing;
    await this.refreshInventory();
  }

  async inventory(): Promise<VmInventory> {
    if (!this.lastReport && !this.lastError) await this.refreshInventory();
    const report = this.lastReport;
    return {
      provider: report?.provider ?? this.loaded?.provider.name ?? null,
      fetchedAt: report?.generatedAt ?? null,
      vms: (report?.vms ?? []).map((entry) => this.apiVm(entry)),
      scope: report ? this.lastScope : null,
      dangling: (report?.dangling ?? []).map((d) => ({
        namespace: d.peerPod.namespace,
        name: d.peerPod.name,
        instanceId: d.instanceID,
      })),
      error: this.lastError ?? null,
    };
  }

  /** One VM of the inventory as the API answers it; one a cleanup deleted is no orphan, whatever the listing said. */
  private apiVm(entry: CorrelatedVm): ApiVm {
    const deleted = this.ledger.has(entry.vm.id);
    return {
      id: entry.vm.id,
      name: entry.vm.name,
      state: deleted && entry.vm.state !== 'terminated' ? 'deleting' : (STATE_WORDS[entry.vm.state] ?? 'unknown'),
      instanceType: entry.vm.instanceType ?? null,
      launchedAt: entry.vm.launchTime ?? null,
      pod: entry.pod ? { namespace: entry.pod.namespace, name: entry.pod.name } : null,
      nodeName: entry.nodeName ?? null,
      peerPod: entry.peerPod ? { namespace: entry.peerPod.namespace, name: entry.peerPod.name } : null,
      orphan: entry.ownership === 'orphan' && !deleted,
      orphanReason: deleted ? BEING_DELETED : entry.ownership === 'in-use' ? null : entry.reason,
      zone: entry.vm.zone ?? entry.vm.location ?? null,
      image: entry.vm.image ?? null,
      ...this.sizeFields(entry.vm.instanceType),
    };
  }

  private sizeFields(instanceType: string | undefined): { vcpus: number | null; memoryMiB: number | null } {
    const size = instanceType ? this.options.sizes?.sizeOf(instanceType) : undefined;
    return { vcpus: size?.vcpus ?? null, memoryMiB: size?.memoryMiB ?? null };
  }

  cleanup(request: OrphanCleanupRequest, actor: UserInfo): Promise<OrphanCleanupResult> {
    return guarded(() => this.cleanupNow(request, actor));
  }

  /**
   * A VM's serial console, only for a VM of this cluster's last inventory: the backend's
   * credentials reach every VM of the account, a reader only this cluster's. Never logged.
   */
  async consoleOutput(vmId: string): Promise<VmConsoleOutput | undefined> {
    if (!this.lastReport && !this.lastError) await this.refreshInventory();
    if (!this.lastReport) {
      throw new NotReadyError(
        `the cloud inventory has not been read yet, so VM ${vmId} cannot be told to be this cluster's: ${this.lastError?.message ?? 'try again in a moment'}`,
      );
    }
    const wanted = vmId.toLowerCase();
    const entry = this.lastReport.vms.find((e) => e.vm.id.toLowerCase() === wanted);
    if (!entry) return undefined;
    const { provider } = await guarded(() => this.cloud());
    const read = await guarded(() => provider.consoleOutput(entry.vm.id));
    return {
      vmId: entry.vm.id,
      output: read.output,
      capturedAt: read.capturedAt ?? null,
      truncated: read.truncated,
      unavailable: read.unavailable ?? null,
    };
  }

  private async cleanupNow(request: OrphanCleanupRequest, actor: UserInfo): Promise<OrphanCleanupResult> {
    if (!this.options.claimsSynced()) {
      throw new NotReadyError(
        'the backend has not listed the peer pods and PeerPods yet, so no VM can be judged an orphan; try again in a moment',
      );
    }
    const { provider, settings, confirmationKey: key } = await this.cloud();
    let confirmed: ReadonlySet<string> | undefined;
    if (!request.dryRun) {
      const check = checkConfirmation(key, request.confirmation, actor.username);
      if (!check.ok) throw new NotConfirmedError(check.reason);
      confirmed = check.vmIds;
    }
    // Decide on fresh listings, never on cached ones: of the cloud (a VM may have changed) and of
    // the API server (a pod or PeerPod may claim it that a lagging cache does not show). Only
    // this cluster's VMs are listed: another cluster's VM is never a candidate.
    const identity = await this.clusterScope(provider, settings);
    const [{ vms }, claims] = await Promise.all([provider.listPeerPodVms(identity), this.options.claimsNow()]);
    const pods = claims.pods.map(podLike);
    const peerPods = claims.peerPods.map(peerPodLike);
    const names = new Map(vms.map((vm) => [vm.id, vm.name]));
    if (request.dryRun) {
      const fresh = correlateInventory({
        provider: provider.name,
        vms,
        pods,
        peerPods,
        gracePeriodMs: this.options.orphanGraceMs,
      });
      const plan = planOrphanCleanup(fresh, identity, request.vmIds);
      const offered = plan.toDelete.map((c) => c.vmId);
      return {
        dryRun: true,
        confirmation: offered.length > 0 ? issueConfirmation(key, actor.username, offered) : null,
        results: [
          ...plan.toDelete.map((c) => ({
            id: c.vmId,
            name: c.name,
            outcome: 'would-delete' as const,
            message: c.reason,
            deletedResources: [],
            resources: c.resources,
          })),
          ...plan.refused.map((r) => ({
            id: r.vmId,
            name: r.name ?? names.get(r.vmId) ?? null,
            outcome: 'refused' as const,
            message: r.reason,
            deletedResources: [],
            resources: [],
          })),
        ],
      };
    }
    // Only what the confirmed dry run offered is deleted; anything else named is refused, per VM.
    const notOffered = request.vmIds.filter((id) => !confirmed!.has(id));
    const audits: AuditEvent[] = [];
    const result = await cleanupOrphans({
      provider,
      identity,
      vmIds: request.vmIds.filter((id) => confirmed!.has(id)),
      pods,
      peerPods,
      ledger: this.ledger,
      context: { actor: actor.username, audit: (e) => audits.push(e) },
      gracePeriodMs: this.options.orphanGraceMs,
      logger: this.options.logger,
    }).finally(() => this.auditCleanup(actor.username, audits));
    // The answer comes after the cloud was listed again, so the inventory read next shows the deletions.
    await this.refreshAfterChange();
    return {
      dryRun: false,
      results: [
        ...result.deleted.map((d) => ({
          id: d.vmId,
          name: d.name,
          outcome: 'deleted' as const,
          message: d.alreadyGone ? 'the VM was already gone' : `deleted ${d.deleted.length} cloud resource(s)`,
          deletedResources: d.deleted,
          resources: d.resources,
        })),
        ...notOffered.map((id) => ({
          id,
          name: names.get(id) ?? null,
          outcome: 'refused' as const,
          message: NOT_OFFERED,
          deletedResources: [],
          resources: [],
        })),
        ...[...result.refused, ...result.skipped].map((r) => ({
          id: r.vmId,
          name: r.name ?? names.get(r.vmId) ?? null,
          outcome: 'refused' as const,
          message: r.reason,
          deletedResources: [],
          resources: [],
        })),
        ...result.failed.map((f) => ({
          id: f.vmId,
          name: f.name,
          outcome: 'failed' as const,
          message: f.error.message,
          deletedResources: [],
          resources: [],
        })),
      ],
    };
  }

  /** A worker that peer pods may run on: its providerID locates the security group / NSG. */
  private async workerProviderId(): Promise<string> {
    const { name } = this.options.peerPodConfig;
    const { config } = await this.requirePeerPodConfig();
    const selector = Object.entries(config.spec?.nodeSelector ?? {})
      .map(([k, v]) => (v ? `${k}=${v}` : k))
      .join(',');
    const nodes = await this.listNodes({ labelSelector: selector || undefined, limit: 50 });
    const worker = nodes.items.find((n) => n.spec?.providerID);
    if (!worker?.spec?.providerID) {
      throw new NotConfiguredError(
        `no node matching PeerPodConfig ${name}'s nodeSelector has a spec.providerID; label a cloud worker node first`,
        'no_worker',
      );
    }
    return worker.spec.providerID;
  }

  private async plan(request: PortRulesRequest): Promise<{ provider: CloudProvider; plan: PortRulePlan }> {
    const { provider, settings } = await this.cloud();
    const discovery = await provider.discoverPortRules(await this.workerProviderId());
    const plan = provider.planPortRules(discovery, { vxlanPort: settings.vxlanPort, includeUdp: request.includeUdp });
    return { provider, plan };
  }

  private report(plan: PortRulePlan, statuses?: Map<string, { status: PortRule['state']; detail: string }>) {
    const cloud = cloudModule(plan.provider);
    const target = cloud.portRuleTarget(plan.discovery);
    const rules = plan.rules.map((rule: PlannedPortRule) => {
      const verified = statuses?.get(portRuleId(rule));
      return {
        id: portRuleId(rule),
        description: rule.purpose,
        protocol: rule.protocol,
        port: rule.port,
        state: verified?.status ?? rule.status,
        detail: verified?.detail ?? rule.detail,
        ...cloud.portRuleName(rule),
      };
    });
    const report: PortRulesReport = {
      platform: plan.provider,
      target,
      rules,
      commands: statuses ? [] : plan.commands,
      discoveryCommands: cloud.portRuleDiscoveryCommands(plan.discovery),
      notes: plan.notes,
      canApply: rules.some((r) => r.state !== 'present'),
    };
    return report;
  }

  /**
   * The cloud credentials Secret the PeerPodConfig names (spec.cloudSecretName): reading cloud
   * data or changing the cloud on a user's behalf needs `get` on it, as the backend spends it.
   */
  async cloudCredential(): Promise<{ namespace: string; name: string }> {
    const now = Date.now();
    if (this.credentialRef && now - this.credentialRef.at < 15_000) return this.credentialRef.ref;
    const { secret: ref } = await this.peerPodConfig
      .resolve()
      .catch(() => cloudObjectRefs(this.options.peerPodConfig, undefined));
    this.credentialRef = { at: now, ref };
    return ref;
  }

  status(request: PortRulesRequest, options: { fresh?: boolean } = {}): Promise<PortRulesReport> {
    const key = request.includeUdp ? 'tcp+udp' : 'tcp';
    return guarded(async () => (await this.portStatus.fetch(key, { forceRefresh: options.fresh === true }))!);
  }

  apply(request: PortRulesRequest, actor: UserInfo): Promise<PortRulesApplyResult> {
    // What the rules were before the change is no answer after it, whatever the outcome.
    return guarded(() => this.applyNow(request, actor)).finally(() => this.portStatus.clear());
  }

  private async applyNow(request: PortRulesRequest, actor: UserInfo): Promise<PortRulesApplyResult> {
    const { provider, plan } = await this.plan(request);
    const applied = await provider.applyPortRules(plan, { actor: actor.username, audit: (e) => this.audit(e) });
    const verification = await provider.verifyPortRules(plan);
    const statuses = new Map(verification.rules.map((r) => [portRuleId(r), r]));
    return {
      results: applied.rules.map((r) => ({
        id: portRuleId(r),
        outcome:
          r.outcome === 'created' || r.outcome === 'updated' ? ('created' as const) : ('already-present' as const),
        message: r.cloudId ? `cloud id ${r.cloudId}` : r.outcome,
      })),
      verified: this.report(plan, statuses),
    };
  }
}
