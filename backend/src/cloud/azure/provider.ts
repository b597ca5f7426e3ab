// CloudProvider for Azure (ARM through @azure/arm-compute and @azure/arm-network, signed in as a
// service principal with @azure/identity). ARM endpoint, authority host and an extra CA are
// options, so it can point at a test ARM server. Throttling (429 + Retry-After) and 5xx are
// retried by the SDK pipeline, and so is an attempt that gets no answer within `requestTimeoutMs`;
// deletions and rule writes are long-running operations polled to the end. Sizes and vCPU quotas
// are read from the location's resource SKUs and usages (mapped in sizing.ts).
import {
  ComputeManagementClient,
  type ImageReference,
  type ResourceSku,
  type Usage,
  type VirtualMachine,
} from '@azure/arm-compute';
import { NetworkManagementClient, type SecurityRule } from '@azure/arm-network';
import { createDefaultHttpClient, createPipelineRequest, RestError, type HttpClient } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { get as httpsGet } from 'node:https';
import type { Logger } from 'pino';
import { TailCollector, type ConsoleOutput } from '../console-output.ts';
import {
  CloudConfigError,
  CloudConflictError,
  CloudError,
  CloudNotFoundError,
  CloudUnavailableError,
} from '../errors.ts';
import { partitionByScope, type ClusterIdentity } from '../inventory.ts';
import type {
  AzureNsgRule,
  AzurePortRuleDiscovery,
  ChangeContext,
  CloudProvider,
  PeerPodVm,
  PeerPodVmListing,
  PortRuleApplyResult,
  PortRuleDiscovery,
  PortRuleOptions,
  PortRulePlan,
  PortRuleVerification,
  VcpuQuotaReading,
  VmDeletionResult,
  VmSizeInfo,
  VmState,
} from '../provider.ts';
import { attemptTimeoutPolicy } from './attempt-timeout.ts';
import { azureStatus, toAzureCloudError } from './errors.ts';
import {
  AZURE_RULES,
  planAzurePortRules,
  resourceGroupOf,
  ruleHasSpecSettings,
  vmFromProviderId,
} from './port-rules.ts';
import { podVmResourceNames } from './resources.ts';
import {
  normalizeLocation,
  skuLocationFilter,
  SKUS_PERMISSION,
  unreadVcpuReadings,
  USAGES_PERMISSION,
  vcpuReadings,
  vmSizesFromSkus,
} from './sizing.ts';

export interface AzureProviderOptions {
  subscriptionId: string;
  /** Where the cloud-api-adaptor creates pod VMs (AZURE_RESOURCE_GROUP). */
  resourceGroup: string;
  /** Where the cluster's NSG and VNet live; default `resourceGroup`. */
  networkResourceGroup?: string;
  /** AZURE_REGION: where sizes and quotas are read; default the location of `resourceGroup`. */
  region?: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** default https://management.azure.com */
  armEndpoint?: string;
  /** default https://login.microsoftonline.com */
  authorityHost?: string;
  /** PEM bundle that replaces the default trust store for ARM and Entra ID (a test endpoint's CA). */
  caCertificates?: string;
  /** NSG to use when the worker subnet has none attached and the group holds several (AZURE_NSG_ID). */
  nsgId?: string;
  /** Poll interval of long-running operations when ARM sends no Retry-After; SDK default 2 s. */
  pollIntervalMs?: number;
  /** Retries per request for throttling, server errors and timeouts; default 5. */
  maxRetries?: number;
  /** Per-attempt timeout of each ARM and Entra ID request (answer read in full); default 30 s. */
  requestTimeoutMs?: number;
  /** Named in error messages; default "the cloud credentials Secret". */
  credentialsSource?: string;
  logger: Logger;
}

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';
const RESOURCE_GROUPS_API_VERSION = '2021-04-01';
const RESOURCE_GROUP_PERMISSION = 'Microsoft.Resources/subscriptions/resourceGroups/read';

const PROVISIONING_STATES: Record<string, VmState> = {
  creating: 'pending',
  updating: 'running',
  migrating: 'running',
  succeeded: 'running',
  deleting: 'terminating',
  failed: 'failed',
};

function toPeerPodVm(vm: VirtualMachine): PeerPodVm {
  const cloudState = vm.provisioningState ?? 'Unknown';
  const id = vm.id ?? '';
  return {
    provider: 'azure',
    id,
    name: vm.name ?? '',
    state: PROVISIONING_STATES[cloudState.toLowerCase()] ?? 'unknown',
    cloudState,
    instanceType: vm.hardwareProfile?.vmSize,
    launchTime: vm.timeCreated ? new Date(vm.timeCreated).toISOString() : undefined,
    tags: { ...(vm.tags ?? {}) },
    resourceGroup: resourceGroupOf(id),
    location: vm.location,
    zone: vm.location && vm.zones?.[0] ? `${vm.location}-${vm.zones[0]}` : undefined,
    image: imageOf(vm.storageProfile?.imageReference),
  };
}

/** The image a VM was created from: its resource id, a gallery image id, or publisher:offer:sku:version. */
function imageOf(reference: ImageReference | undefined): string | undefined {
  if (!reference) return undefined;
  const id = reference.id || reference.communityGalleryImageId || reference.sharedGalleryImageId;
  if (id) return id;
  const parts = [reference.publisher, reference.offer, reference.sku, reference.version];
  return parts.every(Boolean) ? parts.join(':') : undefined;
}

function both(single: string | undefined, many: string[] | undefined): string[] {
  return [...(single ? [single] : []), ...(many ?? [])];
}

export function toNsgRule(rule: SecurityRule): AzureNsgRule {
  return {
    id: rule.id,
    name: rule.name ?? '',
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    sourceAddressPrefixes: both(rule.sourceAddressPrefix, rule.sourceAddressPrefixes),
    sourcePortRanges: both(rule.sourcePortRange, rule.sourcePortRanges),
    destinationAddressPrefixes: both(rule.destinationAddressPrefix, rule.destinationAddressPrefixes),
    destinationPortRanges: both(rule.destinationPortRange, rule.destinationPortRanges),
  };
}

const sameId = (a: string | undefined, b: string | undefined) => Boolean(a && b && a.toLowerCase() === b.toLowerCase());

export class AzureCloudProvider implements CloudProvider {
  readonly name = 'azure' as const;
  readonly #compute: ComputeManagementClient;
  readonly #network: NetworkManagementClient;
  readonly #subscriptionId: string;
  readonly #resourceGroup: string;
  readonly #networkResourceGroup: string;
  readonly #nsgId?: string;
  readonly #pollIntervalMs?: number;
  readonly #credentialsSource: string;
  readonly #secrets: string[];
  readonly #logger: Logger;
  readonly #caCertificates?: string;
  readonly #requestTimeoutMs: number;
  readonly #armEndpoint: string;
  readonly #configuredRegion?: string;
  /** The region, once read; cleared when reading it failed so that the next call tries again. */
  #region?: Promise<string>;
  readonly #httpClient: HttpClient = createDefaultHttpClient();

  constructor(options: AzureProviderOptions) {
    const armEndpoint = (options.armEndpoint ?? 'https://management.azure.com').replace(/\/+$/, '');
    const tlsOptions = options.caCertificates ? { ca: options.caCertificates } : undefined;
    const retryOptions = { maxRetries: options.maxRetries ?? 5 };
    // Without it a request to an endpoint that never answers waits forever (and with it the API
    // request, or the inventory refresh, that made it). perRetry: each attempt gets its own clock.
    const additionalPolicies = [
      { policy: attemptTimeoutPolicy(options.requestTimeoutMs ?? 30_000), position: 'perRetry' as const },
    ];
    this.#subscriptionId = options.subscriptionId;
    this.#resourceGroup = options.resourceGroup;
    this.#networkResourceGroup = options.networkResourceGroup ?? options.resourceGroup;
    this.#armEndpoint = armEndpoint;
    this.#configuredRegion = options.region?.trim() || undefined;
    this.#nsgId = options.nsgId;
    this.#caCertificates = options.caCertificates;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#pollIntervalMs = options.pollIntervalMs;
    this.#credentialsSource = options.credentialsSource ?? 'the cloud credentials Secret';
    this.#secrets = [options.clientSecret, options.clientId, options.tenantId];
    this.#logger = options.logger.child({ cloud: 'azure', resourceGroup: options.resourceGroup });

    const credential = new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, {
      authorityHost: options.authorityHost ?? PUBLIC_AUTHORITY,
      // Instance discovery asks login.microsoftonline.com about the authority; a test or private
      // authority is not known there, and the openid configuration of the tenant is enough.
      disableInstanceDiscovery: (options.authorityHost ?? PUBLIC_AUTHORITY) !== PUBLIC_AUTHORITY,
      tlsOptions,
      retryOptions,
      additionalPolicies,
    });
    const scopes = [`${armEndpoint}/.default`];
    this.#compute = new ComputeManagementClient(credential, options.subscriptionId, {
      endpoint: armEndpoint,
      credentials: { scopes },
      tlsOptions,
      retryOptions,
      additionalPolicies,
    });
    this.#network = new NetworkManagementClient(credential, options.subscriptionId, {
      endpoint: armEndpoint,
      $host: armEndpoint,
      credentialScopes: scopes,
      tlsOptions,
      retryOptions,
      additionalPolicies,
    });
  }

  #fail(error: unknown, operation: string, subject?: string, permission?: string): CloudError {
    if (error instanceof CloudError) return error;
    const mapped = toAzureCloudError(error, {
      operation,
      subject,
      permission,
      credentialsSource: this.#credentialsSource,
      secrets: this.#secrets,
    });
    this.#logger.warn(
      { operation, code: mapped.code, cloudCode: mapped.cloudCode, httpStatus: mapped.httpStatus },
      'Azure call failed',
    );
    return mapped;
  }

  async #call<T>(operation: string, subject: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#fail(error, operation, subject);
    }
  }

  /** undefined when the resource does not exist (404). */
  async #getOptional<T>(operation: string, subject: string, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (azureStatus(error) === 404) return undefined;
      throw this.#fail(error, operation, subject);
    }
  }

  async resolveClusterScope(identity: ClusterIdentity): Promise<ClusterIdentity> {
    // The resource group, subnet and TAGS of peer-pods-cm say it all.
    return identity;
  }

  async listPeerPodVms(scope: ClusterIdentity): Promise<PeerPodVmListing> {
    const seen: PeerPodVm[] = [];
    await this.#call('virtualMachines.list', `the VMs of resource group ${this.#resourceGroup}`, async () => {
      // ARM cannot filter VMs by name or tag; listing one resource group is the server-side scope.
      for await (const vm of this.#compute.virtualMachines.list(this.#resourceGroup)) {
        if (vm.name?.startsWith('podvm-')) seen.push(toPeerPodVm(vm));
      }
    });
    if (scope.subnetId && seen.length > 0) {
      const subnets = await this.#nicSubnets();
      for (const vm of seen) vm.subnetId = subnets.get(vm.id.toLowerCase());
    }
    const listing = partitionByScope(seen, scope);
    this.#logger.debug({ vms: listing.vms.length, excluded: listing.excluded }, 'listed peer-pod VMs');
    return listing;
  }

  /** VM id (lower case) → the subnet of its first NIC, from one listing of the group's NICs. */
  async #nicSubnets(): Promise<Map<string, string>> {
    const subnets = new Map<string, string>();
    await this.#call('networkInterfaces.list', `the NICs of resource group ${this.#resourceGroup}`, async () => {
      for await (const nic of this.#network.networkInterfaces.list(this.#resourceGroup)) {
        const vmId = nic.virtualMachine?.id?.toLowerCase();
        const subnetId = nic.ipConfigurations?.find((config) => config.subnet?.id)?.subnet?.id;
        if (vmId && subnetId && !subnets.has(vmId)) subnets.set(vmId, subnetId);
      }
    });
    return subnets;
  }

  async deleteVm(vm: PeerPodVm, context: ChangeContext): Promise<VmDeletionResult> {
    const rg = this.#resourceGroup;
    const deleted: string[] = [];
    const audit = (
      result: 'succeeded' | 'already-done' | 'refused' | 'failed',
      message: string,
      errorCode?: CloudError['code'],
    ) =>
      context.audit({
        user: context.actor,
        action: 'vm.delete',
        provider: 'azure',
        cloudIds: deleted.length > 0 ? [...deleted] : [vm.id],
        result,
        message,
        errorCode,
      });
    const updateIntervalInMs = this.#pollIntervalMs;
    const expectedId = `/subscriptions/${this.#subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;
    if (!vm.name.startsWith('podvm-') || !sameId(vm.id, expectedId)) {
      const refusal = new CloudConflictError(
        `Refused to delete ${vm.id}: only peer-pod VMs (podvm-…) of resource group ${rg} are deleted here.`,
        { provider: 'azure', operation: 'virtualMachines.delete' },
      );
      audit('refused', refusal.message, refusal.code);
      throw refusal;
    }
    const { nic: nicName, disk: diskName } = podVmResourceNames(vm.name);
    try {
      const current = await this.#getOptional('virtualMachines.get', `VM ${vm.name}`, () =>
        this.#compute.virtualMachines.get(rg, vm.name),
      );
      if (current) {
        await this.#call('virtualMachines.delete', `VM ${vm.name}`, () =>
          this.#compute.virtualMachines.delete(rg, vm.name, { updateIntervalInMs }).pollUntilDone(),
        );
        deleted.push(current.id ?? vm.id);
      }
      // The adaptor creates the NIC and the disk with the VM; unless they were set to go with it, they remain.
      const nic = await this.#getOptional('networkInterfaces.get', `NIC ${nicName}`, () =>
        this.#network.networkInterfaces.get(rg, nicName),
      );
      if (nic) {
        await this.#call('networkInterfaces.delete', `NIC ${nicName}`, () =>
          this.#network.networkInterfaces.beginDeleteAndWait(rg, nicName, { updateIntervalInMs }),
        );
        deleted.push(nic.id ?? nicName);
      }
      const disk = await this.#getOptional('disks.get', `disk ${diskName}`, () =>
        this.#compute.disks.get(rg, diskName),
      );
      if (disk) {
        await this.#call('disks.delete', `disk ${diskName}`, () =>
          this.#compute.disks.delete(rg, diskName, { updateIntervalInMs }).pollUntilDone(),
        );
        deleted.push(disk.id ?? diskName);
      }
      const alreadyGone = !current;
      const what = [current ? `VM ${vm.name}` : '', nic ? `NIC ${nicName}` : '', disk ? `disk ${diskName}` : ''].filter(
        Boolean,
      );
      this.#logger.info({ vmName: vm.name, deleted, user: context.actor }, 'deleted peer-pod VM');
      audit(
        alreadyGone && deleted.length === 0 ? 'already-done' : 'succeeded',
        what.length > 0
          ? `Deleted ${what.join(', ')}${alreadyGone ? ` (the VM itself was already gone)` : ''}.`
          : `VM ${vm.name}, its NIC and its disk were already gone.`,
      );
      return { vmId: vm.id, name: vm.name, deleted, alreadyGone };
    } catch (error) {
      const failure = this.#fail(error, 'virtualMachines.delete', `VM ${vm.name}`);
      audit('failed', failure.message, failure.code);
      throw failure;
    }
  }

  async consoleOutput(vmId: string): Promise<ConsoleOutput> {
    const rg = this.#resourceGroup;
    const name = vmId.split('/').pop() ?? '';
    const expectedId = `/subscriptions/${this.#subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;
    if (!name || !sameId(vmId, expectedId)) {
      throw new CloudConfigError(`${vmId} is not a VM of resource group ${rg}; only its VMs are read here.`, {
        provider: 'azure',
        operation: 'virtualMachines.retrieveBootDiagnosticsData',
      });
    }
    let uri: string | undefined;
    try {
      // The shortest SAS life ARM grants: the URI is read once, at once.
      const data = await this.#compute.virtualMachines.retrieveBootDiagnosticsData(rg, name, {
        sasUriExpirationTimeInMinutes: 1,
      });
      uri = data.serialConsoleLogBlobUri;
    } catch (error) {
      // ARM refuses the call for a VM whose boot diagnostics are off.
      if (azureStatus(error) !== 409)
        throw this.#fail(error, 'virtualMachines.retrieveBootDiagnosticsData', `VM ${name}`);
    }
    if (!uri) {
      return {
        output: '',
        truncated: false,
        unavailable: `Boot diagnostics are not enabled on VM ${name}, so Azure keeps no serial console log for it.`,
      };
    }
    return this.#readSerialLog(uri, name);
  }

  /** GETs the serial log blob; the SAS URI (a secret) appears in no message and no log line. */
  #readSerialLog(uri: string, vmName: string): Promise<ConsoleOutput> {
    const failed = (why: string) =>
      new CloudUnavailableError(`Could not read the serial console log of VM ${vmName} from Azure Storage (${why}).`, {
        provider: 'azure',
        operation: 'bootDiagnostics.serialConsoleLog',
      });
    return new Promise<ConsoleOutput>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(uri);
      } catch {
        reject(failed('ARM answered a URI that is not one'));
        return;
      }
      if (url.protocol !== 'https:') {
        reject(failed('ARM answered a URI that is not https'));
        return;
      }
      const request = httpsGet(url, { ca: this.#caCertificates, timeout: this.#requestTimeoutMs }, (response) => {
        const status = response.statusCode ?? 0;
        if (status === 404) {
          response.resume();
          resolve({
            output: '',
            truncated: false,
            unavailable: `VM ${vmName} has not written a serial console log yet.`,
          });
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          reject(failed(`HTTP ${status}`));
          return;
        }
        const tail = new TailCollector();
        response.on('data', (chunk: Buffer) => tail.push(chunk));
        response.on('error', () => reject(failed('the answer broke off')));
        response.on('end', () => {
          const modified = response.headers['last-modified'];
          const capturedAt =
            modified && !Number.isNaN(Date.parse(modified)) ? new Date(modified).toISOString() : undefined;
          resolve({ ...tail.result(), capturedAt });
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      // Only the error's code: its message could quote the URL.
      request.on('error', (error: NodeJS.ErrnoException) => reject(failed(error.code ?? 'no answer')));
    });
  }

  async discoverPortRules(workerProviderId: string): Promise<AzurePortRuleDiscovery> {
    const worker = vmFromProviderId(workerProviderId);
    const rg = this.#networkResourceGroup;
    const nsgs = await this.#call('networkSecurityGroups.list', `the NSGs of resource group ${rg}`, async () => {
      const all = [];
      for await (const nsg of this.#network.networkSecurityGroups.list(rg)) all.push(nsg);
      return all;
    });
    const vnets = await this.#call('virtualNetworks.list', `the virtual networks of resource group ${rg}`, async () => {
      const all = [];
      for await (const vnet of this.#network.virtualNetworks.list(rg)) all.push(vnet);
      return all;
    });

    const workerSubnets = vnets.flatMap((vnet) =>
      (vnet.subnets ?? [])
        .filter((subnet) => subnet.name?.toLowerCase().includes('worker'))
        .map((subnet) => ({ vnet, subnet })),
    );
    if (workerSubnets.length === 0) {
      throw new CloudNotFoundError(
        `No subnet whose name contains "worker" in the virtual networks of resource group ${rg}. Check the resource group in infrastructure/cluster.`,
        { provider: 'azure', operation: 'virtualNetworks.list' },
      );
    }
    if (workerSubnets.length > 1) {
      throw new CloudConfigError(
        `Several subnets in resource group ${rg} have "worker" in their name (${workerSubnets.map(({ vnet, subnet }) => `${vnet.name}/${subnet.name}`).join(', ')}); open the ports with the shown commands for the right one.`,
        { provider: 'azure' },
      );
    }
    const [{ vnet, subnet }] = workerSubnets as [(typeof workerSubnets)[number]];
    const addressPrefix = subnet.addressPrefix ?? subnet.addressPrefixes?.[0];
    if (!addressPrefix) {
      throw new CloudConfigError(`Subnet ${vnet.name}/${subnet.name} has no address prefix.`, { provider: 'azure' });
    }

    const attached = subnet.networkSecurityGroup?.id;
    const nsg =
      nsgs.find((candidate) => sameId(candidate.id, attached)) ??
      nsgs.find((candidate) => sameId(candidate.id, this.#nsgId)) ??
      (nsgs.length === 1 ? nsgs[0] : undefined);
    if (!nsg?.id || !nsg.name) {
      throw nsgs.length === 0
        ? new CloudNotFoundError(`Resource group ${rg} has no network security group.`, { provider: 'azure' })
        : new CloudConfigError(
            `Resource group ${rg} has ${nsgs.length} network security groups and subnet ${subnet.name} names none of them; set AZURE_NSG_ID in peer-pods-cm.`,
            { provider: 'azure' },
          );
    }
    return {
      provider: 'azure',
      workerProviderId,
      subscriptionId: this.#subscriptionId,
      resourceGroup: rg,
      workerVmName: worker.name,
      nsg: { id: nsg.id, name: nsg.name, rules: (nsg.securityRules ?? []).map(toNsgRule) },
      vnet: { id: vnet.id ?? '', name: vnet.name ?? '' },
      subnet: { id: subnet.id ?? '', name: subnet.name ?? '', addressPrefix },
    };
  }

  planPortRules(discovery: PortRuleDiscovery, options: PortRuleOptions): PortRulePlan {
    if (discovery.provider !== 'azure')
      throw new CloudConflictError('This plan needs an Azure discovery.', { provider: 'azure' });
    return planAzurePortRules(discovery, options);
  }

  async applyPortRules(plan: PortRulePlan, context: ChangeContext): Promise<PortRuleApplyResult> {
    if (plan.provider !== 'azure')
      throw new CloudConflictError('This plan is not an Azure plan.', { provider: 'azure' });
    const result: PortRuleApplyResult = { rules: [] };
    const total = plan.rules.filter((rule) => rule.action !== 'none').length;
    let done = 0;
    for (const rule of plan.rules) {
      const target = rule.azure;
      if (rule.action === 'none' || !target) {
        result.rules.push({ key: rule.key, targetId: rule.targetId, outcome: 'unchanged' });
        continue;
      }
      const subject = `rule ${target.ruleName} of NSG ${target.nsgName}`;
      const audit = (
        action: 'port-rule.create' | 'port-rule.update',
        outcome: 'succeeded' | 'already-done' | 'failed',
        message: string,
        cloudId?: string,
        errorCode?: CloudError['code'],
      ) =>
        context.audit({
          user: context.actor,
          action,
          provider: 'azure',
          cloudIds: cloudId ? [rule.targetId, cloudId] : [rule.targetId],
          result: outcome,
          message,
          errorCode,
        });
      // Read first: re-applying a plan whose rule is already in place is a success, not a write.
      const existing = await this.#getOptional('securityRules.get', subject, () =>
        this.#network.securityRules.get(target.resourceGroup, target.nsgName, target.ruleName),
      );
      if (
        existing &&
        existing.priority === target.priority &&
        ruleHasSpecSettings(toNsgRule(existing), rule, target.sourceAddressPrefix)
      ) {
        result.rules.push({ key: rule.key, targetId: rule.targetId, outcome: 'already-present', cloudId: existing.id });
        audit(
          'port-rule.create',
          'already-done',
          `${target.ruleName} in NSG ${target.nsgName} was already in place.`,
          existing.id,
        );
      } else {
        const action = existing ? 'port-rule.update' : 'port-rule.create';
        try {
          const written = await this.#network.securityRules.beginCreateOrUpdateAndWait(
            target.resourceGroup,
            target.nsgName,
            target.ruleName,
            {
              priority: target.priority,
              access: 'Allow',
              protocol: rule.protocol === 'tcp' ? 'Tcp' : 'Udp',
              direction: 'Inbound',
              sourceAddressPrefix: target.sourceAddressPrefix,
              sourcePortRange: '*',
              destinationAddressPrefix: target.destinationAddressPrefix,
              destinationPortRange: String(rule.port),
              description: `OpenShift sandboxed containers peer pods: ${rule.purpose}`,
            },
            { updateIntervalInMs: this.#pollIntervalMs },
          );
          result.rules.push({
            key: rule.key,
            targetId: rule.targetId,
            outcome: existing ? 'updated' : 'created',
            cloudId: written.id,
          });
          audit(
            action,
            'succeeded',
            `${existing ? 'Updated' : 'Created'} ${target.ruleName} (priority ${target.priority}, ${rule.protocol.toUpperCase()} ${rule.port}, ${target.sourceAddressPrefix}) in NSG ${target.nsgName}.`,
            written.id,
          );
          this.#logger.info(
            { nsg: target.nsgName, rule: target.ruleName, priority: target.priority, user: context.actor },
            'wrote NSG rule',
          );
        } catch (error) {
          const failure = this.#fail(error, 'securityRules.createOrUpdate', subject);
          audit(action, 'failed', failure.message, undefined, failure.code);
          throw failure;
        }
      }
      done += 1;
      context.onProgress?.({ step: 'apply-port-rules', done, total });
    }
    return result;
  }

  async verifyPortRules(plan: PortRulePlan): Promise<PortRuleVerification> {
    const fresh = planAzurePortRules(await this.discoverPortRules(plan.discovery.workerProviderId), plan.options);
    const rules = plan.rules.map((planned) => {
      const now = fresh.rules.find((rule) => rule.key === planned.key);
      return {
        key: planned.key,
        targetId: planned.targetId,
        status: now?.status ?? 'missing',
        detail: now?.detail ?? `${AZURE_RULES[planned.key].name} was not found.`,
      };
    });
    return { ok: rules.every((rule) => rule.status === 'present'), rules };
  }

  region(): Promise<string> {
    this.#region ??= this.#readRegion().catch((error: unknown) => {
      this.#region = undefined;
      throw error;
    });
    return this.#region;
  }

  /**
   * AZURE_REGION, else the location of the pod-VM resource group. No installed client reads resource
   * groups (that is @azure/arm-resources), so the compute client's own pipeline (its token, retries,
   * TLS and timeouts) sends the one GET.
   */
  async #readRegion(): Promise<string> {
    if (this.#configuredRegion) return normalizeLocation(this.#configuredRegion);
    const rg = this.#resourceGroup;
    try {
      const url = `${this.#armEndpoint}/subscriptions/${encodeURIComponent(this.#subscriptionId)}/resourcegroups/${encodeURIComponent(rg)}?api-version=${RESOURCE_GROUPS_API_VERSION}`;
      const response = await this.#compute.pipeline.sendRequest(
        this.#httpClient,
        createPipelineRequest({ url, method: 'GET' }),
      );
      let body: { location?: unknown; error?: { code?: unknown; message?: unknown } } = {};
      try {
        body = JSON.parse(response.bodyAsText ?? '{}') as typeof body;
      } catch {
        // Not JSON: the status says what happened.
      }
      if (response.status !== 200) {
        const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
        const code = typeof body.error?.code === 'string' ? body.error.code : undefined;
        throw new RestError(message, { code, statusCode: response.status, response });
      }
      if (typeof body.location !== 'string' || !body.location) {
        throw new CloudUnavailableError(`Azure answered no location for resource group ${rg}.`, {
          provider: 'azure',
          operation: 'resourceGroups.get',
        });
      }
      return normalizeLocation(body.location);
    } catch (error) {
      throw this.#fail(error, 'resourceGroups.get', `resource group ${rg}`, RESOURCE_GROUP_PERMISSION);
    }
  }

  async describeSizes(names: readonly string[]): Promise<VmSizeInfo[]> {
    if (names.length === 0) return [];
    const region = await this.region();
    const wanted = new Set(names.map((name) => name.trim().toLowerCase()));
    const skus: ResourceSku[] = [];
    try {
      // The location's SKUs of every resource type: only the asked VM sizes are kept.
      for await (const sku of this.#compute.resourceSkus.list({ filter: skuLocationFilter(region) })) {
        if (sku.resourceType === 'virtualMachines' && wanted.has(sku.name?.toLowerCase() ?? '')) skus.push(sku);
      }
    } catch (error) {
      throw this.#fail(error, 'resourceSkus.list', `the VM sizes of ${region}`, SKUS_PERMISSION);
    }
    return vmSizesFromSkus(skus, names);
  }

  async readVcpuQuotas(size: VmSizeInfo): Promise<VcpuQuotaReading[]> {
    let region: string;
    try {
      region = await this.region();
    } catch (error) {
      const failure = this.#fail(error, 'resourceGroups.get', `resource group ${this.#resourceGroup}`);
      return failure.code === 'permission'
        ? unreadVcpuReadings(size, {
            state: 'not-permitted',
            permission: RESOURCE_GROUP_PERMISSION,
            detail: `The region is the location of resource group ${this.#resourceGroup}, which the service principal in ${this.#credentialsSource} may not read; set AZURE_REGION in peer-pods-cm, or grant the permission.`,
          })
        : unreadVcpuReadings(size, { state: 'unknown', detail: failure.message });
    }
    const usages: Usage[] = [];
    try {
      for await (const usage of this.#compute.usage.list(region)) usages.push(usage);
    } catch (error) {
      const failure = this.#fail(error, 'usage.list', `the vCPU usage of ${region}`, USAGES_PERMISSION);
      return failure.code === 'permission'
        ? unreadVcpuReadings(size, {
            state: 'not-permitted',
            permission: USAGES_PERMISSION,
            detail: `The service principal in ${this.#credentialsSource} may not read the vCPU usage of ${region} (${failure.cloudCode ?? 'refused'}).`,
          })
        : unreadVcpuReadings(size, { state: 'unknown', detail: failure.message });
    }
    return vcpuReadings(size, usages, region);
  }
}
