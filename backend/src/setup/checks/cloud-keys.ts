// Which keys of the peer-pods Secret and ConfigMap a cloud needs, as its cloud module declares
// them (SPEC "Cloud side"), and the `oc` commands that add them. Only key names are ever handled
// here, never values.
import type { CloudModule } from '../../cloud/module.ts';
import { cloudModules } from '../../cloud/modules.ts';
import type { InfrastructureLike } from '../../cloud/settings-reader.ts';
import { shellQuoteJson } from '../outcome.ts';

export interface ObjectRef {
  namespace: string;
  name: string;
}

/** The cloud whose keys a command shows when the cluster's cloud is unknown: the first registered. */
export function defaultCloud(): CloudModule {
  const [first] = cloudModules();
  if (!first) throw new Error('No cloud module is registered (backend/src/cloud/registry.ts).');
  return first;
}

/**
 * Secret keys the cloud-api-adaptor and this product authenticate with: the Secret's own, then
 * those that may sit in either object when the ConfigMap does not hold them.
 */
export function requiredSecretKeys(cloud: CloudModule, configMapKeys: readonly string[]): string[] {
  const required = cloud.keys.filter((key) => key.need === 'required');
  return [
    ...required.filter((key) => key.in === 'secret'),
    ...required.filter((key) => key.in === 'either' && !configMapKeys.includes(key.name)),
  ].map((key) => key.name);
}

function has(data: Readonly<Record<string, string>>, key: string): boolean {
  return Boolean(data[key]?.trim());
}

/** ConfigMap keys the product needs that the ConfigMap lacks and neither the Secret nor the Infrastructure gives. */
export function missingConfigMapKeys(
  cloud: CloudModule,
  data: Readonly<Record<string, string>>,
  secretKeys: readonly string[],
  infrastructure: InfrastructureLike | undefined,
): string[] {
  return cloud.keys
    .filter((key) => key.need === 'required' && key.in !== 'secret')
    .filter((key) => !has(data, key.name))
    .filter((key) => !(key.in === 'either' && secretKeys.includes(key.name)))
    .filter((key) => !key.fromInfrastructure?.(infrastructure))
    .map((key) => key.name);
}

/** ConfigMap keys the cloud-api-adaptor places VMs with, that the ConfigMap lacks. */
export function missingRecommendedKeys(cloud: CloudModule, data: Readonly<Record<string, string>>): string[] {
  return cloud.keys
    .filter((key) => key.need === 'recommended' && key.in === 'configMap' && !has(data, key.name))
    .map((key) => key.name);
}

/** Keys a new ConfigMap must hold for this cloud: only it can hold them, and the Infrastructure does not give them. */
export function configMapOnlyKeys(cloud: CloudModule, infrastructure: InfrastructureLike | undefined): string[] {
  return cloud.keys
    .filter((key) => key.need === 'required' && key.in === 'configMap' && !key.fromInfrastructure?.(infrastructure))
    .map((key) => key.name);
}

/** What infrastructure/cluster says for a key of the cloud (a region, a resource group), if anything. */
export function infrastructureValue(
  cloud: CloudModule,
  keyName: string,
  infrastructure: InfrastructureLike | undefined,
): string | undefined {
  return cloud.keys.find((key) => key.name === keyName)?.fromInfrastructure?.(infrastructure);
}

/** A placeholder for a key's value in a command: `<vxlan-port>` for VXLAN_PORT. */
export function placeholder(key: string): string {
  return `<${key.toLowerCase().replace(/_/g, '-')}>`;
}

export function placeholders(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, placeholder(key)]));
}

export function patchSecretCommand(ref: ObjectRef, keys: readonly string[]): string {
  const stringData = placeholders(keys);
  return `oc patch secret ${ref.name} -n ${ref.namespace} --type merge -p ${shellQuoteJson({ stringData })}`;
}

export function createSecretCommand(ref: ObjectRef, keys: readonly string[]): string {
  const literals = keys.map((key) => `--from-literal=${key}='${placeholder(key)}'`).join(' ');
  return `oc create secret generic ${ref.name} -n ${ref.namespace} ${literals}`;
}

export function patchConfigMapCommand(ref: ObjectRef, data: Record<string, string>): string {
  return `oc patch configmap ${ref.name} -n ${ref.namespace} --type merge -p ${shellQuoteJson({ data })}`;
}

export function createConfigMapCommand(ref: ObjectRef, data: Record<string, string>): string {
  const literals = Object.entries(data)
    .map(([key, value]) => `--from-literal=${key}='${value}'`)
    .join(' ');
  return `oc create configmap ${ref.name} -n ${ref.namespace} ${literals}`;
}
