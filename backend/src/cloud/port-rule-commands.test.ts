// The wizard's copyable `aws` / `az` commands, read against the documented procedure that admins
// copy from (SPEC "Ports that must be open"): the same command words, the same flags in any order,
// the same value wherever the procedure prints a literal one; a <placeholder> stands for whatever
// discovery found, the same value each time it appears in one command.
import { describe, expect, it } from 'vitest';
import { planAwsPortRules } from './aws/port-rules.ts';
import { planAzurePortRules } from './azure/port-rules.ts';
import type {
  AwsPortRuleDiscovery,
  AzurePortRuleDiscovery,
  CloudProviderName,
  PortRuleKey,
  PortRuleOptions,
  PortRulePlan,
} from './provider.ts';

/** The procedure's commands, flags and order as printed there, its discovered values as placeholders. */
const DOCUMENTED: Record<CloudProviderName, Partial<Record<PortRuleKey, string>>> = {
  aws: {
    'kata-agent':
      'aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port 15150 --source-group <sg-id> --region <region>',
    vxlan:
      'aws ec2 authorize-security-group-ingress --group-id <sg-id> --protocol tcp --port 9000 --source-group <sg-id> --region <region>',
  },
  azure: {
    'kata-agent':
      'az network nsg rule create --resource-group <resource-group> --nsg-name <nsg-name> --name Allow-Kata-Agent-Internal --access Allow --protocol Tcp --direction Inbound --priority 112 --source-address-prefixes <worker-subnet-prefix> --source-port-range "*" --destination-address-prefixes <worker-subnet-prefix> --destination-port-range 15150',
    vxlan:
      'az network nsg rule create --resource-group <resource-group> --nsg-name <nsg-name> --name Allow-VXLAN-Internal --access Allow --protocol Tcp --direction Inbound --priority 111 --source-address-prefixes <worker-subnet-prefix> --source-port-range "*" --destination-address-prefixes <worker-subnet-prefix> --destination-port-range 9000',
  },
};

// The one mapping between the two. `az network nsg rule create` names these flags in the plural
// (each takes a list); the procedure's singular works only because az's argument parser accepts any
// unambiguous prefix of a long option. The product prints az's own names.
const AZ_NAME_OF_PROCEDURE_FLAG: Record<CloudProviderName, Record<string, string>> = {
  aws: {},
  azure: {
    '--source-port-range': '--source-port-ranges',
    '--destination-port-range': '--destination-port-ranges',
  },
};

// Not in the procedure, which opens TCP only: the product's optional UDP rule for VXLAN traffic is
// the documented VXLAN command with just these values changed.
const UDP_RULE_CHANGES: Record<CloudProviderName, Record<string, string>> = {
  aws: { '--protocol': 'udp' },
  azure: { '--protocol': 'Udp', '--name': 'Allow-VXLAN-UDP-Internal', '--priority': '113' },
};

/** Splits a command line into words as a POSIX shell does (quotes, backslashes; no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const char = line.charAt(i);
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    word ??= '';
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`Unterminated ' in: ${line}`);
      word += line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      for (i += 1; line.charAt(i) !== '"'; i += 1) {
        if (i >= line.length) throw new Error(`Unterminated " in: ${line}`);
        if (line.charAt(i) === '\\' && /["\\$`]/.test(line.charAt(i + 1))) i += 1;
        word += line.charAt(i);
      }
    } else if (char === '\\') {
      i += 1;
      word += line.charAt(i);
    } else {
      word += char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface ParsedCommand {
  words: string[];
  /** Each flag (under its az name) with the words that follow it. */
  flags: Map<string, string[]>;
  /** The flag names as written, where a mapping renamed them. */
  writtenAs: Map<string, string>;
  repeated: string[];
}

function parseCommand(line: string, rename: Record<string, string> = {}): ParsedCommand {
  const all = shellWords(line);
  const isFlag = (word: string) => /^--?[A-Za-z]/.test(word);
  const firstFlag = all.findIndex(isFlag);
  const parsed: ParsedCommand = {
    words: firstFlag < 0 ? all : all.slice(0, firstFlag),
    flags: new Map(),
    writtenAs: new Map(),
    repeated: [],
  };
  let values: string[] = [];
  for (const word of all.slice(parsed.words.length)) {
    if (!isFlag(word)) {
      values.push(word);
      continue;
    }
    const name = rename[word] ?? word;
    if (name !== word) parsed.writtenAs.set(name, word);
    if (parsed.flags.has(name)) parsed.repeated.push(name);
    values = [];
    parsed.flags.set(name, values);
  }
  return parsed;
}

const isPlaceholder = (value: string) => /^<[^<>]+>$/.test(value);

/** Every way `rendered` departs from `documented`, one line naming the flag each; none when they agree. */
function commandDifferences(
  documented: string,
  rendered: string,
  cloud: CloudProviderName,
  changes: Record<string, string> = {},
): string[] {
  const rename = AZ_NAME_OF_PROCEDURE_FLAG[cloud];
  const want = parseCommand(documented, rename);
  for (const [flag, value] of Object.entries(changes)) want.flags.set(flag, [value]);
  const got = parseCommand(rendered);
  const differences: string[] = [];
  if (want.words.join(' ') !== got.words.join(' ')) {
    differences.push(
      `command: the procedure runs "${want.words.join(' ')}", the product prints "${got.words.join(' ')}"`,
    );
  }
  for (const flag of got.repeated) differences.push(`${flag}: printed more than once by the product`);

  const bound = new Map<string, { value: string; flag: string }>();
  for (const [flag, wanted] of want.flags) {
    const label = want.writtenAs.has(flag) ? `${flag} (the procedure's ${want.writtenAs.get(flag)})` : flag;
    const printed = got.flags.get(flag);
    if (printed === undefined) {
      differences.push(`${label}: in the procedure, missing from the product's command`);
      continue;
    }
    if (printed.length !== wanted.length) {
      differences.push(
        `${label}: the procedure gives "${wanted.join(' ')}", the product prints "${printed.join(' ')}"`,
      );
      continue;
    }
    wanted.forEach((value, index) => {
      const actual = printed[index] ?? '';
      if (!isPlaceholder(value)) {
        if (actual !== value) differences.push(`${label}: the procedure gives ${value}, the product prints ${actual}`);
        return;
      }
      const earlier = bound.get(value);
      if (!earlier) bound.set(value, { value: actual, flag });
      else if (earlier.value !== actual) {
        differences.push(`${label}: ${value} is ${earlier.value} in ${earlier.flag} but ${actual} here`);
      }
    });
  }
  for (const flag of got.flags.keys()) {
    if (want.flags.has(flag)) continue;
    const azName = rename[flag];
    differences.push(
      azName
        ? `${flag}: printed by the product, which should print az's own name ${azName}`
        : `${flag}: printed by the product, not in the procedure`,
    );
  }
  return differences;
}

// A representative cluster with nothing open yet, as the procedure assumes: on AWS the pod VMs
// share the worker's security group (AWS_SG_IDS unset), on Azure the NSG has no rules of ours.
const awsDiscovery: AwsPortRuleDiscovery = {
  provider: 'aws',
  workerProviderId: 'aws:///us-east-2a/i-0abc123',
  region: 'us-east-2',
  workerInstanceId: 'i-0abc123',
  workerGroupIds: ['sg-0worker'],
  podVmGroupIds: ['sg-0worker'],
  podVmGroupSource: 'worker',
  securityGroups: [{ groupId: 'sg-0worker', vpcId: 'vpc-1', ingress: [] }],
};

const azureDiscovery: AzurePortRuleDiscovery = {
  provider: 'azure',
  workerProviderId:
    'azure:///subscriptions/s/resourceGroups/cluster-rg/providers/Microsoft.Compute/virtualMachines/cluster-worker-1',
  subscriptionId: 's',
  resourceGroup: 'cluster-rg',
  workerVmName: 'cluster-worker-1',
  nsg: {
    id: '/subscriptions/s/resourceGroups/cluster-rg/providers/Microsoft.Network/networkSecurityGroups/cluster-nsg',
    name: 'cluster-nsg',
    rules: [],
  },
  vnet: { id: 'vnet-id', name: 'cluster-vnet' },
  subnet: { id: 'subnet-id', name: 'cluster-worker-subnet', addressPrefix: '10.0.32.0/19' },
};

function plan(cloud: CloudProviderName, options: PortRuleOptions): PortRulePlan {
  return cloud === 'aws' ? planAwsPortRules(awsDiscovery, options) : planAzurePortRules(azureDiscovery, options);
}

function commandOf(planned: PortRulePlan, key: PortRuleKey): string {
  const command = planned.rules.find((rule) => rule.key === key)?.command;
  if (!command) throw new Error(`The ${planned.provider} plan prints no command for ${key}.`);
  return command;
}

const CLOUDS: CloudProviderName[] = ['aws', 'azure'];

describe('the wizard’s port-rule commands, read against the documented procedure', () => {
  it.each(CLOUDS)('%s: prints one command per documented command, each flag and value as documented', (cloud) => {
    const planned = plan(cloud, { vxlanPort: 9000, includeUdp: false });
    const documented = Object.entries(DOCUMENTED[cloud]);
    expect(planned.rules.map((rule) => rule.key)).toEqual(documented.map(([key]) => key));
    expect(planned.commands).toHaveLength(documented.length);
    for (const [key, command] of documented) {
      const rendered = commandOf(planned, key as PortRuleKey);
      expect(commandDifferences(command, rendered, cloud), `${cloud} ${key}: ${rendered}`).toEqual([]);
    }
  });

  it.each(CLOUDS)('%s: prints the optional UDP rule as the documented VXLAN command for UDP', (cloud) => {
    const planned = plan(cloud, { vxlanPort: 9000, includeUdp: true });
    const rendered = commandOf(planned, 'vxlan-udp');
    const vxlan = DOCUMENTED[cloud].vxlan ?? '';
    expect(
      commandDifferences(vxlan, rendered, cloud, UDP_RULE_CHANGES[cloud]),
      `${cloud} vxlan-udp: ${rendered}`,
    ).toEqual([]);
  });
});

describe('commandDifferences', () => {
  const documented = DOCUMENTED.azure['kata-agent'] ?? '';
  // A command as the product prints it, fixed here so that these tests check the comparison alone.
  const rendered =
    "az network nsg rule create --resource-group cluster-rg --nsg-name cluster-nsg --name Allow-Kata-Agent-Internal --priority 112 --access Allow --protocol Tcp --direction Inbound --source-address-prefixes 10.0.32.0/19 --source-port-ranges '*' --destination-address-prefixes 10.0.32.0/19 --destination-port-ranges 15150";

  it('finds nothing when only the order of the flags differs', () => {
    const [words, ...flags] = rendered.split(' --');
    expect(commandDifferences(documented, [words, ...flags.reverse()].join(' --'), 'azure')).toEqual([]);
  });

  it('names the flag whose literal value differs', () => {
    expect(commandDifferences(documented, rendered.replace('--priority 112', '--priority 200'), 'azure')).toEqual([
      '--priority: the procedure gives 112, the product prints 200',
    ]);
  });

  it('names a flag the product leaves out', () => {
    expect(commandDifferences(documented, rendered.replace(' --direction Inbound', ''), 'azure')).toEqual([
      "--direction: in the procedure, missing from the product's command",
    ]);
  });

  it('names a flag the procedure does not have', () => {
    expect(commandDifferences(documented, `${rendered} --description peer-pods`, 'azure')).toEqual([
      '--description: printed by the product, not in the procedure',
    ]);
  });

  it('reads the procedure’s singular port-range flags as az’s plural names, and asks the product for the plural', () => {
    expect(
      commandDifferences(
        documented,
        rendered.replace('--destination-port-ranges', '--destination-port-range'),
        'azure',
      ),
    ).toEqual([
      "--destination-port-ranges (the procedure's --destination-port-range): in the procedure, missing from the product's command",
      "--destination-port-range: printed by the product, which should print az's own name --destination-port-ranges",
    ]);
  });

  it('lets a placeholder stand for any value, but the same one wherever it appears', () => {
    const otherSource = rendered.replace(
      '--source-address-prefixes 10.0.32.0/19',
      '--source-address-prefixes 10.9.0.0/16',
    );
    expect(commandDifferences(documented, otherSource, 'azure')).toEqual([
      '--destination-address-prefixes: <worker-subnet-prefix> is 10.9.0.0/16 in --source-address-prefixes but 10.0.32.0/19 here',
    ]);
  });

  it('reads the command as the shell does, so "*" and \'*\' are the same value', () => {
    expect(shellWords(`a --x "*" --y '*' --z \\* --w 'it'\\''s'`)).toEqual([
      'a',
      '--x',
      '*',
      '--y',
      '*',
      '--z',
      '*',
      '--w',
      "it's",
    ]);
  });
});
