// The simulated clouds as the cloud specs see them: moto EC2 behind the shared stack (its address
// from E2E_CLOUD, credentials and settings from peer-pods-secret / peer-pods-cm, as the backend
// reads them) and the ARM test server of a stack a spec starts itself. The specs read and change
// the cloud here directly — to set up their preconditions and to check what the product did —
// never through the product.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { NetworkManagementClient, type SecurityRule } from '@azure/arm-network';
import { ClientSecretCredential } from '@azure/identity';
import { CoreV1Api, CoreV1Event, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { OPERATOR_NAMESPACE, PEERPODCONFIG_NAME } from '../../hack/controlplane/fixtures.ts';

/** The peer-pods shim reaches the kata-agent on this port (SPEC "Ports that must be open"). */
export const KATA_AGENT_PORT = 15150;
const DEFAULT_VXLAN_PORT = 9000;

/** `E2E_CLOUD` from global setup: where the shared stack's simulated cloud is. */
export function sharedCloudDetails(): Record<string, string> {
  const text = process.env.E2E_CLOUD;
  if (!text) throw new Error('E2E_CLOUD is not set: run the tests with `npx playwright test` (global setup sets it)');
  return JSON.parse(text) as Record<string, string>;
}

async function peerPodsSettings(
  kc: KubeConfig,
): Promise<{ data: Record<string, string>; secret: Record<string, string> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const cm = await core.readNamespacedConfigMap({ namespace: OPERATOR_NAMESPACE, name: 'peer-pods-cm' });
  const secret = await core.readNamespacedSecret({ namespace: OPERATOR_NAMESPACE, name: 'peer-pods-secret' });
  const decoded = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );
  return { data: cm.data ?? {}, secret: decoded };
}

/** The two ports the wizard must open: 15150 and VXLAN_PORT of peer-pods-cm (TCP both). */
export function requiredPorts(settings: Record<string, string>): number[] {
  return [KATA_AGENT_PORT, Number(settings.VXLAN_PORT ?? DEFAULT_VXLAN_PORT)];
}

// ---------------------------------------------------------------------------------------------
// AWS (moto)

export interface MotoCloud {
  ec2: EC2Client;
  region: string;
  /** The worker security group (the wizard's target). */
  groupId: string;
  /** AWS_SUBNET_ID: a VM of this cluster must be in it. */
  subnetId: string;
  ports: number[];
}

export async function motoCloud(kc: KubeConfig): Promise<MotoCloud> {
  const details = sharedCloudDetails();
  if (details.platform !== 'aws' || !details.endpoint) {
    throw new Error(
      `these tests need the AWS stack, but the shared stack runs on ${details.platform}: unset E2E_PLATFORM`,
    );
  }
  const { data, secret } = await peerPodsSettings(kc);
  const ec2 = new EC2Client({
    region: data.AWS_REGION ?? details.region,
    endpoint: details.endpoint,
    credentials: { accessKeyId: secret.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: secret.AWS_SECRET_ACCESS_KEY ?? '' },
    maxAttempts: 2,
  });
  return {
    ec2,
    region: data.AWS_REGION ?? details.region!,
    groupId: details.securityGroupId!,
    subnetId: data.AWS_SUBNET_ID ?? details.subnetId!,
    ports: requiredPorts(data),
  };
}

const covers = (permission: IpPermission, port: number) =>
  permission.IpProtocol === '-1' ||
  ((permission.FromPort ?? -1) <= port && port <= (permission.ToPort ?? -1) && permission.IpProtocol !== 'icmp');

async function ingressOf(cloud: MotoCloud): Promise<IpPermission[]> {
  const answer = await cloud.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [cloud.groupId] }));
  return answer.SecurityGroups?.[0]?.IpPermissions ?? [];
}

/** Removes every ingress rule of the worker group that lets one of the required ports in. */
export async function revokeRequiredPortRules(cloud: MotoCloud): Promise<void> {
  const opening = (await ingressOf(cloud)).filter((permission) => cloud.ports.some((port) => covers(permission, port)));
  for (const permission of opening) {
    await cloud.ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: cloud.groupId, IpPermissions: [permission] }),
    );
  }
}

/** For each port: how many TCP ingress grants from the group itself let it in (one is right, two a duplicate). */
export async function selfIngressGrants(cloud: MotoCloud): Promise<Record<number, number>> {
  const permissions = await ingressOf(cloud);
  return Object.fromEntries(
    cloud.ports.map((port) => [
      port,
      permissions
        .filter((p) => (p.IpProtocol === 'tcp' || p.IpProtocol === '6') && covers(p, port))
        .flatMap((p) => p.UserIdGroupPairs ?? [])
        .filter((pair) => pair.GroupId === cloud.groupId).length,
    ]),
  );
}

/**
 * Launches a VM that looks exactly like one the cloud-api-adaptor made for a pod that is gone:
 * `podvm-<pod>-<sandbox>` in the cluster's subnet, claimed by no PeerPod and no pod.
 */
export async function launchOrphanVm(cloud: MotoCloud, pod: string): Promise<{ id: string; name: string }> {
  const name = `podvm-${pod}-${randomBytes(4).toString('hex')}`;
  const launched = await cloud.ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0123456789abcdef0',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.medium',
      SubnetId: cloud.subnetId,
    }),
  );
  const id = launched.Instances?.[0]?.InstanceId;
  if (!id) throw new Error('moto launched no instance');
  await cloud.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: name }] }));
  return { id, name };
}

/** The instance's state name (pending, running, shutting-down, terminated…) by id. */
export async function instanceStates(cloud: MotoCloud, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const answer = await cloud.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return Object.fromEntries(
    (answer.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .map((instance) => [instance.InstanceId ?? '', instance.State?.Name ?? '']),
  );
}

/** Instances with this Name that the cloud is not already deleting. */
export async function liveInstancesNamed(cloud: MotoCloud, name: string): Promise<string[]> {
  const answer = await cloud.ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: 'tag:Name', Values: [name] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    }),
  );
  return (answer.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');
}

/** spec.instanceID of every PeerPod: the VMs running peer pods use. */
export async function peerPodInstanceIds(kc: KubeConfig): Promise<string[]> {
  const list = (await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({
    group: 'confidentialcontainers.org',
    version: 'v1alpha1',
    plural: 'peerpods',
  })) as { items: { spec?: { instanceID?: string } }[] };
  return list.items.flatMap((item) => (item.spec?.instanceID ? [item.spec.instanceID] : []));
}

/** Events the backend recorded on the PeerPodConfig (who changed what in the cloud), by reason. */
export async function peerPodConfigEvents(kc: KubeConfig, reason: string): Promise<CoreV1Event[]> {
  const events = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({
    namespace: OPERATOR_NAMESPACE,
    fieldSelector: `involvedObject.name=${PEERPODCONFIG_NAME},reason=${reason}`,
  });
  return events.items;
}

/** Messages of the events with this reason that are not in `before` (a list is not in time order). */
export async function newEventMessages(kc: KubeConfig, reason: string, before: CoreV1Event[]): Promise<string[]> {
  const seen = new Set(before.map((event) => event.metadata?.name));
  return (await peerPodConfigEvents(kc, reason))
    .filter((event) => !seen.has(event.metadata?.name))
    .map((event) => event.message ?? '');
}

// ---------------------------------------------------------------------------------------------
// Azure (ARM test server)

export interface ArmCloud {
  network: NetworkManagementClient;
  resourceGroup: string;
  nsgName: string;
  ports: number[];
}

/**
 * A real @azure/arm-network client on the ARM test server of a stack (its `cloud` details), signed
 * in with the service principal of that stack's peer-pods-secret and trusting the server's test CA.
 */
export async function armCloud(kc: KubeConfig, details: Record<string, string>): Promise<ArmCloud> {
  const { endpoint, caFile, subscriptionId, resourceGroup, nsgName } = details;
  if (!endpoint || !caFile || !subscriptionId || !resourceGroup || !nsgName) {
    throw new Error(`the stack does not describe an ARM test server: ${Object.keys(details).join(', ')}`);
  }
  const { data, secret } = await peerPodsSettings(kc);
  const tlsOptions = { ca: readFileSync(caFile, 'utf8') };
  const credential = new ClientSecretCredential(
    secret.AZURE_TENANT_ID ?? '',
    secret.AZURE_CLIENT_ID ?? '',
    secret.AZURE_CLIENT_SECRET ?? '',
    { authorityHost: endpoint, disableInstanceDiscovery: true, tlsOptions },
  );
  const network = new NetworkManagementClient(credential, subscriptionId, {
    endpoint,
    $host: endpoint,
    credentialScopes: [`${endpoint}/.default`],
    tlsOptions,
  });
  return { network, resourceGroup, nsgName, ports: requiredPorts(data) };
}

export async function nsgRules(cloud: ArmCloud): Promise<SecurityRule[]> {
  const rules: SecurityRule[] = [];
  for await (const rule of cloud.network.securityRules.list(cloud.resourceGroup, cloud.nsgName)) rules.push(rule);
  return rules;
}

const ruleCovers = (rule: SecurityRule, port: number) =>
  [rule.destinationPortRange, ...(rule.destinationPortRanges ?? [])].some((range) => {
    if (!range) return false;
    if (range === '*') return true;
    const [from, to = from] = range.split('-').map(Number);
    return from! <= port && port <= to!;
  });

/** Inbound Allow rules for TCP that let the port in. */
export function inboundTcpRulesFor(rules: SecurityRule[], port: number): SecurityRule[] {
  return rules.filter(
    (rule) =>
      rule.direction === 'Inbound' &&
      rule.access === 'Allow' &&
      (rule.protocol === 'Tcp' || rule.protocol === '*') &&
      ruleCovers(rule, port),
  );
}

/** Deletes every inbound rule that lets one of the required ports in. */
export async function deleteRequiredNsgRules(cloud: ArmCloud): Promise<void> {
  const rules = await nsgRules(cloud);
  const opening = new Set(cloud.ports.flatMap((port) => inboundTcpRulesFor(rules, port).map((rule) => rule.name!)));
  for (const name of opening) {
    await cloud.network.securityRules.beginDeleteAndWait(cloud.resourceGroup, cloud.nsgName, name, {
      updateIntervalInMs: 100,
    });
  }
}
