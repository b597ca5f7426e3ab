// The resources a test ARM server holds, in ARM's wire format ({id, name, type, location, tags,
// properties}). Tests seed it directly (the way a cluster installer would have created things)
// and read it back to check what the code under test changed through the HTTP API.

export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location: string;
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
}

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
  readonly #groups = new Set<string>();
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

  addResourceGroup(name: string): void {
    this.#groups.add(name.toLowerCase());
  }

  hasResourceGroup(name: string): boolean {
    return this.#groups.has(name.toLowerCase());
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
    const id = this.resourceId(resourceGroup, 'vm', seed.name);
    const nicId = this.resourceId(resourceGroup, 'nic', `${seed.name}-net`);
    const diskId = this.resourceId(resourceGroup, 'disk', `${seed.name}-disk`);
    if (seed.withNic !== false) {
      this.put({
        id: nicId,
        name: `${seed.name}-net`,
        type: TYPES.nic,
        location: this.location,
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
        location: this.location,
        managedBy: id,
        properties: { provisioningState: 'Succeeded', diskSizeGB: 30, diskState: 'Attached' },
      });
    }
    const vm: ArmResource = {
      id,
      name: seed.name,
      type: TYPES.vm,
      location: this.location,
      tags: seed.tags,
      properties: {
        vmId: crypto.randomUUID(),
        provisioningState: 'Succeeded',
        timeCreated: (seed.timeCreated ?? new Date()).toISOString(),
        hardwareProfile: { vmSize: seed.vmSize ?? 'Standard_B2als_v2' },
        storageProfile: {
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
