// Peer pods run in the cluster's own cloud: infrastructure/cluster must say AWS or Azure, and the
// region (AWS) or resource group (Azure) must be known, from there or from the ConfigMap.
import { command, fail, pass, shellQuoteJson, type CheckOutcome } from '../outcome.ts';

export interface InfrastructureFacts {
  status?: {
    platform?: string;
    platformStatus?: { type?: string; aws?: { region?: string }; azure?: { resourceGroupName?: string } };
  };
}

export interface PlatformInput {
  /** `infrastructure/cluster`; undefined when the cluster has none (not OpenShift). */
  infrastructure: InfrastructureFacts | undefined;
  /** The peer-pods ConfigMap's data, when it exists (AWS_REGION / AZURE_RESOURCE_GROUP may fill the gap). */
  configMapData: Readonly<Record<string, string>> | undefined;
  configMap: { namespace: string; name: string };
}

export type CloudPlatform = 'aws' | 'azure';

/** The cloud of the cluster by its Infrastructure, or the type it names when it is another one. */
export function platformOf(
  infrastructure: InfrastructureFacts | undefined,
): { cloud: CloudPlatform } | { other: string } | undefined {
  const type = infrastructure?.status?.platformStatus?.type ?? infrastructure?.status?.platform;
  if (!type) return undefined;
  if (type === 'AWS') return { cloud: 'aws' };
  if (type === 'Azure') return { cloud: 'azure' };
  return { other: type };
}

function patchConfigMap(ref: { namespace: string; name: string }, data: Record<string, string>): string {
  return `oc patch configmap ${ref.name} -n ${ref.namespace} --type merge -p ${shellQuoteJson({ data })}`;
}

export function checkPlatform(input: PlatformInput): CheckOutcome {
  const platform = platformOf(input.infrastructure);
  if (!platform) return fail('platformMissing');
  if ('other' in platform) return fail('platformUnsupported', { platform: platform.other });
  const status = input.infrastructure?.status?.platformStatus;
  const data = input.configMapData ?? {};
  if (platform.cloud === 'aws') {
    const region = status?.aws?.region?.trim() || data.AWS_REGION?.trim();
    if (!region)
      return fail('platformAwsNoRegion', {}, command(patchConfigMap(input.configMap, { AWS_REGION: '<region>' })));
    return pass('platformAws', { region });
  }
  const resourceGroup = status?.azure?.resourceGroupName?.trim() || data.AZURE_RESOURCE_GROUP?.trim();
  if (!resourceGroup) {
    return fail(
      'platformAzureNoResourceGroup',
      {},
      command(patchConfigMap(input.configMap, { AZURE_RESOURCE_GROUP: '<resource group>' })),
    );
  }
  return pass('platformAzure', { resourceGroup });
}
