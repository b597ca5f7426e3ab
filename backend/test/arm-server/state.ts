// The resources a test ARM server holds, in ARM's wire format ({id, name, type, location, zones,
// tags, properties}), and the subscription's compute quotas. Tests seed it directly (the way a
// cluster installer would have created things) and read it back to check what the code under test
// changed through the HTTP API.
import { familyUsageName, otherSkusWire, VM_SKUS, vmSkuSpec, vmSkuWire, type UsageEntry } from './skus.ts';

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location: string;
  /** Availability zones ("1", "2", "3"), for a zonal resource. */
  zones?: string[];
  tags?: Record<string, string>;
  managedBy?: string;
  etag?: string;
  properties: Record<string, unknown>;
}

export interface SeedSecurityRule {
  name: string;
  priority: number;
  direction?: 'Inbound' | 'Outbound';
  access?: 'Allow' | 'Deny';
  protocol?: string;
  sourceAddressPrefix?: string;
  sourcePortRange?: string;
  destinationAddressPrefix?: string;
  destinationPortRange?: string;
}

export interface SeedVm {
  name: string;
  vmSize?: string;
  tags?: Record<string, string>;
  timeCreated?: Date;
  /** Create `<name>-net` and attach it; default true. */
  withNic?: boolean;
  /** Create `<name>-disk` as the OS disk; default true. */
  withDisk?: boolean;
  /** What happens to the NIC / disk when the VM is deleted; default Detach (they remain). */
  nicDeleteOption?: 'Delete' | 'Detach';
  diskDeleteOption?: 'Delete' | 'Detach';
  /** Subnet the NIC sits in (resource id). */
  subnetId?: string;
  /** Default: the resource group's location. */
  location?: string;
  /** Availability zone(s); default none (a regional VM, as the adaptor creates them). */
  zones?: string[];
  /** Default: the pod-VM gallery image for `podvm-*` VMs, the RHCOS marketplace image for others. */
  image?: SeedImage;
}

/** storageProfile.imageReference, in one of the forms ARM accepts. */
export type SeedImage =
  | { id: string }
  | { communityGalleryImageId: string }
  | { sharedGalleryImageId: string }
  | { publisher: string; offer: string; sku: string; version: string };

/** The gallery image version the operator builds and the adaptor boots pod VMs from (AZURE_IMAGE_ID). */
export function podVmImageId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/PodVMGallery/images/podvm_image0/versions/0.0.1`;
}

/** The marketplace image an OpenShift installer gives its Azure nodes. */
export const RHCOS_WORKER_IMAGE = {
  publisher: 'redhat',
  offer: 'rh-ocp-worker',
  sku: 'rh-ocp-worker',
  version: '4.15.2024072409',
} as const;

/**
 * A new pay-as-you-go subscription's limits: 20 regional vCPUs (OpenShift's installation guide
 * asks for 40 or more), 10 per VM family, none for GPU families (granted on request only).
 */
const DEFAULT_LIMITS: Record<string, number> = {
  availabilitySets: 2500,
  cores: 20,
  virtualMachines: 25000,
  virtualMachineScaleSets: 2500,
  lowPriorityCores: 3,
};
const DEFAULT_FAMILY_LIMIT = 10;
const GPU_FAMILIES = new Set(VM_SKUS.filter((spec) => (spec.gpus ?? 0) > 0).map((spec) => spec.family));
/** The usages that are not a VM family, in ARM's order, with their localized names. */
const FIXED_USAGES: [string, string][] = [
  ['availabilitySets', 'Availability Sets'],
  ['cores', 'Total Regional vCPUs'],
  ['virtualMachines', 'Virtual Machines'],
  ['virtualMachineScaleSets', 'Virtual Machine Scale Sets'],
  ['lowPriorityCores', 'Total Regional Low-priority vCPUs'],
];

const TYPES = {
  vm: 'Microsoft.Compute/virtualMachines',
  disk: 'Microsoft.Compute/disks',
  nic: 'Microsoft.Network/networkInterfaces',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  vnet: 'Microsoft.Network/virtualNetworks',
} as const;

export type ResourceKind = keyof typeof TYPES;

export function resourceType(kind: ResourceKind): string {
  return TYPES[kind];
}

export class ArmState {
  readonly subscriptionId: string;
  readonly location: string;
  /**
   * ARM actions the service principal may not perform: the server answers 403 AuthorizationFailed
   * to the calls that need them. Checked for Microsoft.Compute/skus/read,
   * Microsoft.Compute/locations/usages/read and Microsoft.Resources/subscriptions/resourceGroups/read.
   */
  readonly denyActions = new Set<string>();
  /** lower-case name → the group as created. */
  readonly #groups = new Map<string, { name: string; location: string }>();
  /** `<location>/<usage name>`, lower case → the limit set, and the name as it was given. */
  readonly #usageLimits = new Map<string, { name: string; limit: number }>();
  /** `<location>/<size>`, lower case: SKUs the subscription may not deploy there. */
  readonly #restrictedSkus = new Set<string>();
  readonly #resources = new Map<string, ArmResource>();
  /** VM id (lower case) → its boot diagnostics serial log; a VM without one has boot diagnostics off. */
  readonly #serialLogs = new Map<string, string>();

  constructor(subscriptionId: string, location = 'eastus') {
    this.subscriptionId = subscriptionId;
    this.location = location;
  }

  resourceId(resourceGroup: string, kind: ResourceKind, name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${TYPES[kind]}/${name}`;
  }

  /** Creates the group (in `location`, default the server's) unless it exists; a location given moves it. */
  addResourceGroup(name: string, location?: string): void {
    const existing = this.#groups.get(name.toLowerCase());
    if (existing && location === undefined) return;
    this.#groups.set(name.toLowerCase(), { name: existing?.name ?? name, location: location ?? this.location });
  }

  hasResourceGroup(name: string): boolean {
    return this.#groups.has(name.toLowerCase());
  }

  resourceGroup(name: string): { name: string; location: string } | undefined {
    return this.#groups.get(name.toLowerCase());
  }

  /** Sets a usage's limit in a location (`cores`, or a family such as standardDCASv5Family). */
  setUsageLimit(location: string, name: string, limit: number): void {
    this.#usageLimits.set(`${location}/${name}`.toLowerCase(), { name, limit });
  }

  /** The subscription may not deploy `size` in `location` (a Location restriction on its SKU). */
  restrictSku(size: string, location = this.location): void {
    this.#restrictedSkus.add(`${location}/${size}`.toLowerCase());
  }

  #limit(location: string, name: string): number {
    const set = this.#usageLimits.get(`${location}/${name}`.toLowerCase());
    if (set !== undefined) return set.limit;
    if (name in DEFAULT_LIMITS) return DEFAULT_LIMITS[name] ?? 0;
    return GPU_FAMILIES.has(name) ? 0 : DEFAULT_FAMILY_LIMIT;
  }

  /**
   * The compute usages of a location, counted from the VMs held (in any resource group): vCPUs per
   * family and in total. A VM whose size the SKU table does not know counts as a VM, not in vCPUs.
   */
  usages(location: string): UsageEntry[] {
    const where = location.toLowerCase();
    const vms = [...this.#resources.values()].filter(
      (resource) => resource.type === TYPES.vm && resource.location.toLowerCase() === where,
    );
    const perFamily = new Map<string, number>();
    let cores = 0;
    for (const vm of vms) {
      const size = (vm.properties.hardwareProfile as { vmSize?: string } | undefined)?.vmSize ?? '';
      const spec = vmSkuSpec(size);
      if (!spec) continue;
      cores += spec.vcpus;
      perFamily.set(spec.family, (perFamily.get(spec.family) ?? 0) + spec.vcpus);
    }
    const current: Record<string, number> = { cores, virtualMachines: vms.length };
    const families = new Set(VM_SKUS.map((spec) => spec.family));
    // A family given a limit is listed even when no size of the table belongs to it.
    for (const [key, { name }] of this.#usageLimits) {
      const known = VM_SKUS.find((spec) => spec.family.toLowerCase() === name.toLowerCase());
      if (key.startsWith(`${where}/`) && /family$/i.test(name)) families.add(known?.family ?? name);
    }
    return [
      ...FIXED_USAGES.map(([name, localizedName]) => ({
        name,
        localizedName,
        limit: this.#limit(location, name),
        currentValue: current[name] ?? 0,
      })),
      ...[...families].map((family) => ({
        name: family,
        localizedName: familyUsageName(family),
        limit: this.#limit(location, family),
        currentValue: perFamily.get(family) ?? 0,
      })),
    ];
  }

  /** The resource SKUs of one location (`$filter=location eq '…'`), or of every location in use. */
  skus(location?: string): Record<string, unknown>[] {
    const locations = location
      ? [location.toLowerCase()]
      : [...new Set([this.location, ...[...this.#groups.values()].map((group) => group.location)])];
    return locations.flatMap((where) => [
      ...VM_SKUS.map((spec) => vmSkuWire(spec, where, this.#restrictedSkus.has(`${where}/${spec.name}`.toLowerCase()))),
      ...otherSkusWire(where),
    ]);
  }

  get(resourceGroup: string, kind: ResourceKind, name: string): ArmResource | undefined {
    return this.#resources.get(this.resourceId(resourceGroup, kind, name).toLowerCase());
  }

  put(resource: ArmResource): void {
    this.#resources.set(resource.id.toLowerCase(), resource);
  }

  remove(resourceId: string): boolean {
    return this.#resources.delete(resourceId.toLowerCase());
  }

  getById(resourceId: string): ArmResource | undefined {
    return this.#resources.get(resourceId.toLowerCase());
  }

  /** The resources of one kind in a resource group, by name. */
  list(resourceGroup: string, kind: ResourceKind): ArmResource[] {
    const prefix =
      `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${TYPES[kind]}/`.toLowerCase();
    return [...this.#resources.entries()]
      .filter(([id]) => id.startsWith(prefix) && !id.slice(prefix.length).includes('/'))
      .map(([, resource]) => resource)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  addVirtualNetwork(
    resourceGroup: string,
    name: string,
    options: { addressPrefixes: string[]; subnets: { name: string; addressPrefix: string; nsgName?: string }[] },
  ): ArmResource {
    this.addResourceGroup(resourceGroup);
    const id = this.resourceId(resourceGroup, 'vnet', name);
    const vnet: ArmResource = {
      id,
      name,
      type: TYPES.vnet,
      location: this.location,
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: options.addressPrefixes },
        subnets: options.subnets.map((subnet) => ({
          id: `${id}/subnets/${subnet.name}`,
          name: subnet.name,
          type: `${TYPES.vnet}/subnets`,
          properties: {
            provisioningState: 'Succeeded',
            addressPrefix: subnet.addressPrefix,
            ...(subnet.nsgName
              ? { networkSecurityGroup: { id: this.resourceId(resourceGroup, 'nsg', subnet.nsgName) } }
              : {}),
          },
        })),
      },
    };
    this.put(vnet);
    return vnet;
  }

  addNetworkSecurityGroup(resourceGroup: string, name: string, rules: SeedSecurityRule[] = []): ArmResource {
    this.addResourceGroup(resourceGroup);
    const id = this.resourceId(resourceGroup, 'nsg', name);
    const nsg: ArmResource = {
      id,
      name,
      type: TYPES.nsg,
      location: this.location,
      etag: 'W/"1"',
      properties: { provisioningState: 'Succeeded', securityRules: [], defaultSecurityRules: defaultSecurityRules(id) },
    };
    this.put(nsg);
    for (const rule of rules) this.setSecurityRule(resourceGroup, name, securityRuleFromSeed(id, rule));
    return nsg;
  }

  /** The NSG's rules, wire format. */
  securityRules(resourceGroup: string, nsgName: string): Record<string, unknown>[] {
    const nsg = this.get(resourceGroup, 'nsg', nsgName);
    return (nsg?.properties.securityRules as Record<string, unknown>[] | undefined) ?? [];
  }

  securityRule(resourceGroup: string, nsgName: string, ruleName: string): Record<string, unknown> | undefined {
    return this.securityRules(resourceGroup, nsgName).find(
      (rule) => String(rule.name).toLowerCase() === ruleName.toLowerCase(),
    );
  }

  setSecurityRule(resourceGroup: string, nsgName: string, rule: Record<string, unknown>): void {
    const nsg = this.get(resourceGroup, 'nsg', nsgName);
    if (!nsg) throw new Error(`no NSG ${nsgName}`);
    const rules = this.securityRules(resourceGroup, nsgName).filter(
      (existing) => String(existing.name).toLowerCase() !== String(rule.name).toLowerCase(),
    );
    rules.push(rule);
    nsg.properties.securityRules = rules;
  }

  /** Turns boot diagnostics on for a VM (managed storage) with this serial console log. */
  setSerialConsoleLog(resourceGroup: string, vmName: string, log: string): void {
    const vm = this.get(resourceGroup, 'vm', vmName);
    if (!vm) throw new Error(`no VM ${vmName}`);
    vm.properties.diagnosticsProfile = { bootDiagnostics: { enabled: true } };
    this.#serialLogs.set(vm.id.toLowerCase(), log);
  }

  /** The serial console log of a VM with boot diagnostics on; undefined when they are off. */
  serialConsoleLog(vmId: string): string | undefined {
    return this.#serialLogs.get(vmId.toLowerCase());
  }

  addVirtualMachine(resourceGroup: string, seed: SeedVm): ArmResource {
    this.addResourceGroup(resourceGroup);
    const location = seed.location ?? this.resourceGroup(resourceGroup)?.location ?? this.location;
    const image =
      seed.image ??
      (seed.name.startsWith('podvm-') ? { id: podVmImageId(this.subscriptionId, resourceGroup) } : RHCOS_WORKER_IMAGE);
    const id = this.resourceId(resourceGroup, 'vm', seed.name);
    const nicId = this.resourceId(resourceGroup, 'nic', `${seed.name}-net`);
    const diskId = this.resourceId(resourceGroup, 'disk', `${seed.name}-disk`);
    if (seed.withNic !== false) {
      this.put({
        id: nicId,
        name: `${seed.name}-net`,
        type: TYPES.nic,
        location,
        properties: {
          provisioningState: 'Succeeded',
          virtualMachine: { id },
          ipConfigurations: [
            {
              id: `${nicId}/ipConfigurations/ipconfig1`,
              name: 'ipconfig1',
              properties: {
                privateIPAddress: '10.0.32.4',
                ...(seed.subnetId ? { subnet: { id: seed.subnetId } } : {}),
              },
            },
          ],
        },
      });
    }
    if (seed.withDisk !== false) {
      this.put({
        id: diskId,
        name: `${seed.name}-disk`,
        type: TYPES.disk,
        location,
        ...(seed.zones ? { zones: [...seed.zones] } : {}),
        managedBy: id,
        properties: { provisioningState: 'Succeeded', diskSizeGB: 30, diskState: 'Attached' },
      });
    }
    const vm: ArmResource = {
      id,
      name: seed.name,
      type: TYPES.vm,
      location,
      ...(seed.zones ? { zones: [...seed.zones] } : {}),
      tags: seed.tags,
      properties: {
        vmId: crypto.randomUUID(),
        provisioningState: 'Succeeded',
        timeCreated: (seed.timeCreated ?? new Date()).toISOString(),
        hardwareProfile: { vmSize: seed.vmSize ?? 'Standard_B2als_v2' },
        storageProfile: {
          imageReference: 'publisher' in image ? { ...image, exactVersion: image.version } : { ...image },
          osDisk: {
            osType: 'Linux',
            name: `${seed.name}-disk`,
            createOption: 'FromImage',
            deleteOption: seed.diskDeleteOption ?? 'Detach',
            ...(seed.withDisk !== false ? { managedDisk: { id: diskId } } : {}),
          },
        },
        networkProfile: {
          networkInterfaces:
            seed.withNic !== false
              ? [{ id: nicId, properties: { primary: true, deleteOption: seed.nicDeleteOption ?? 'Detach' } }]
              : [],
        },
      },
    };
    this.put(vm);
    return vm;
  }
}

function securityRuleFromSeed(nsgId: string, rule: SeedSecurityRule): Record<string, unknown> {
  return {
    id: `${nsgId}/securityRules/${rule.name}`,
    name: rule.name,
    type: `${TYPES.nsg}/securityRules`,
    etag: 'W/"1"',
    properties: {
      provisioningState: 'Succeeded',
      priority: rule.priority,
      direction: rule.direction ?? 'Inbound',
      access: rule.access ?? 'Allow',
      protocol: rule.protocol ?? 'Tcp',
      sourceAddressPrefix: rule.sourceAddressPrefix ?? '*',
      sourcePortRange: rule.sourcePortRange ?? '*',
      destinationAddressPrefix: rule.destinationAddressPrefix ?? '*',
      destinationPortRange: rule.destinationPortRange ?? '*',
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
      sourcePortRanges: [],
      destinationPortRanges: [],
    },
  };
}

/** The six rules every Azure NSG has (priorities 65000-65500); they cannot be changed. */
function defaultSecurityRules(nsgId: string): Record<string, unknown>[] {
  const rule = (
    name: string,
    priority: number,
    direction: string,
    access: string,
    source: string,
    destination: string,
  ) => ({
    id: `${nsgId}/defaultSecurityRules/${name}`,
    name,
    type: `${TYPES.nsg}/defaultSecurityRules`,
    properties: {
      provisioningState: 'Succeeded',
      priority,
      direction,
      access,
      protocol: '*',
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: destination,
      destinationPortRange: '*',
    },
  });
  return [
    rule('AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    rule('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
    rule('DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'),
    rule('AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    rule('AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'),
    rule('DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'),
  ];
}
