import { describe, expect, it } from 'vitest';
import type { AzureNsgRule, AzurePortRuleDiscovery } from '../provider.ts';
import { azureDiscoveryCommands, cidrContains, planAzurePortRules, vmFromProviderId } from './port-rules.ts';

const PREFIX = '10.0.32.0/19';

function rule(name: string, priority: number, overrides: Partial<AzureNsgRule> = {}): AzureNsgRule {
  return {
    name,
    priority,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourceAddressPrefixes: ['*'],
    sourcePortRanges: ['*'],
    destinationAddressPrefixes: ['*'],
    destinationPortRanges: ['22'],
    ...overrides,
  };
}

function discovery(rules: AzureNsgRule[]): AzurePortRuleDiscovery {
  return {
    provider: 'azure',
    workerProviderId: 'azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/worker-1',
    subscriptionId: 's',
    resourceGroup: 'cluster-rg',
    workerVmName: 'worker-1',
    nsg: {
      id: '/subscriptions/s/resourceGroups/cluster-rg/providers/Microsoft.Network/networkSecurityGroups/cluster-nsg',
      name: 'cluster-nsg',
      rules,
    },
    vnet: { id: 'vnet-id', name: 'cluster-vnet' },
    subnet: { id: 'subnet-id', name: 'cluster-worker-subnet', addressPrefix: PREFIX },
  };
}

const options = { vxlanPort: 9000, includeUdp: false };

describe('vmFromProviderId', () => {
  it('reads subscription, resource group and VM name from an Azure providerID', () => {
    expect(
      vmFromProviderId(
        'azure:///subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/worker-a',
      ),
    ).toEqual({
      subscriptionId: 's1',
      resourceGroup: 'rg1',
      name: 'worker-a',
    });
  });

  it('rejects a providerID of another platform', () => {
    expect(() => vmFromProviderId('aws:///us-east-2a/i-0abc')).toThrow(/not an Azure VM/);
  });
});

describe('azureDiscoveryCommands', () => {
  it('prints the VM, resource group, NSG, VNet and subnet look-ups with the values found, then the NSG’s rules', () => {
    expect(azureDiscoveryCommands(discovery([]))).toEqual([
      'oc get nodes -o custom-columns=NAME:.metadata.name,PROVIDER_ID:.spec.providerID',
      "oc get infrastructure cluster -o jsonpath='{.status.platformStatus.azure.resourceGroupName}'",
      // The worker VM's own resource group, from its providerID.
      'az vm show --resource-group rg --name worker-1 --query id --output tsv',
      "az network nsg list --resource-group cluster-rg --query '[].name' --output tsv",
      "az network vnet list --resource-group cluster-rg --query '[].name' --output tsv",
      'az network vnet subnet show --resource-group cluster-rg --vnet-name cluster-vnet --name cluster-worker-subnet --query addressPrefix --output tsv',
      'az network nsg rule list --resource-group cluster-rg --nsg-name cluster-nsg --output table',
    ]);
  });
});

describe('planAzurePortRules', () => {
  it('plans the SPEC’s two rules at priorities 112 and 111, with the equivalent az commands', () => {
    const plan = planAzurePortRules(discovery([]), options);
    expect(
      plan.rules.map((planned) => [
        planned.azure?.ruleName,
        planned.azure?.priority,
        planned.port,
        planned.status,
        planned.action,
      ]),
    ).toEqual([
      ['Allow-Kata-Agent-Internal', 112, 15150, 'missing', 'create'],
      ['Allow-VXLAN-Internal', 111, 9000, 'missing', 'create'],
    ]);
    expect(plan.commands[0]).toBe(
      "az network nsg rule create --resource-group cluster-rg --nsg-name cluster-nsg --name Allow-Kata-Agent-Internal --priority 112 --access Allow --protocol Tcp --direction Inbound --source-address-prefixes 10.0.32.0/19 --source-port-ranges '*' --destination-address-prefixes 10.0.32.0/19 --destination-port-ranges 15150",
    );
    expect(plan.notes).toEqual([]);
  });

  it('moves a rule to the next free priority when its own is taken, and says so', () => {
    const plan = planAzurePortRules(discovery([rule('ssh', 112), rule('https', 113)]), options);
    expect(plan.rules.map((planned) => planned.azure?.priority)).toEqual([114, 111]);
    expect(plan.notes).toEqual([
      'Priority 112 of NSG cluster-nsg is used by ssh; Allow-Kata-Agent-Internal will use priority 114 instead.',
    ]);
    expect(plan.commands[0]).toContain('--priority 114');
  });

  it('never gives two planned rules the same priority', () => {
    const plan = planAzurePortRules(discovery([rule('a', 111), rule('b', 112)]), options);
    const priorities = plan.rules.map((planned) => planned.azure?.priority);
    expect(new Set(priorities).size).toBe(2);
    expect(priorities).toEqual([113, 114]);
  });

  it('reports a rule that exists with the required settings as present, keeping its priority', () => {
    const existing = rule('Allow-VXLAN-Internal', 300, {
      sourceAddressPrefixes: [PREFIX],
      destinationAddressPrefixes: [PREFIX],
      destinationPortRanges: ['9000'],
    });
    const plan = planAzurePortRules(discovery([existing]), options);
    expect(plan.rules[1]).toMatchObject({
      status: 'present',
      action: 'none',
      command: undefined,
      azure: { priority: 300 },
    });
  });

  it('reports a same-named rule with other settings as conflicting and plans an update', () => {
    const wrong = rule('Allow-Kata-Agent-Internal', 112, {
      sourceAddressPrefixes: [PREFIX],
      destinationAddressPrefixes: [PREFIX],
      destinationPortRanges: ['15151'],
    });
    const plan = planAzurePortRules(discovery([wrong]), options);
    expect(plan.rules[0]).toMatchObject({ status: 'conflicting', action: 'update', azure: { priority: 112 } });
  });

  it('flags a deny rule that is evaluated first as conflicting', () => {
    const plan = planAzurePortRules(
      discovery([rule('deny-internal', 105, { access: 'Deny', protocol: '*', destinationPortRanges: ['*'] })]),
      options,
    );
    expect(plan.rules.every((planned) => planned.status === 'conflicting')).toBe(true);
    expect(plan.notes.some((note) => note.includes('Deny rule deny-internal (priority 105)'))).toBe(true);
  });

  it('adds a UDP rule for the VXLAN port when asked', () => {
    const plan = planAzurePortRules(discovery([]), { vxlanPort: 4789, includeUdp: true });
    expect(plan.rules[2]).toMatchObject({
      protocol: 'udp',
      port: 4789,
      azure: { ruleName: 'Allow-VXLAN-UDP-Internal', priority: 113 },
    });
    expect(plan.commands[2]).toContain('--protocol Udp');
  });

  it('refuses a VXLAN port equal to the kata-agent port', () => {
    expect(() => planAzurePortRules(discovery([]), { vxlanPort: 15150, includeUdp: false })).toThrow(
      /VXLAN port must differ/,
    );
  });
});

describe('cidrContains', () => {
  it('knows which IPv4 networks contain which', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.32.0/19')).toBe(true);
    expect(cidrContains('10.0.32.0/19', '10.0.0.0/16')).toBe(false);
    expect(cidrContains('10.1.0.0/16', '10.0.32.0/19')).toBe(false);
  });
});
