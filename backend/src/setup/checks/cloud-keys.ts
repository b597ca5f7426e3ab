// Which keys of the peer-pods Secret and ConfigMap each cloud needs (SPEC "Cloud side"), and
// the `oc` commands that add them. Only key names are ever handled here, never values.
import { shellQuoteJson } from '../outcome.ts';
import type { CloudPlatform } from './platform.ts';

export interface ObjectRef {
  namespace: string;
  name: string;
}

export const PLATFORM_NAMES: Record<CloudPlatform, string> = { aws: 'AWS', azure: 'Azure' };

/** Secret keys the cloud-api-adaptor and this product authenticate with. */
export const REQUIRED_SECRET_KEYS: Record<CloudPlatform, readonly string[]> = {
  aws: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
  azure: ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID'],
};

/** ConfigMap keys the cloud-api-adaptor places VMs with; missing ones are worth a warning. */
export const RECOMMENDED_CONFIG_MAP_KEYS: Record<CloudPlatform, readonly string[]> = {
  aws: ['AWS_SUBNET_ID', 'AWS_SG_IDS'],
  azure: ['AZURE_REGION', 'AZURE_SUBNET_ID', 'AZURE_NSG_ID'],
};

/** Azure's subscription id may sit in either object (the product reads both). */
export const SUBSCRIPTION_KEY = 'AZURE_SUBSCRIPTION_ID';

/** A placeholder for a key's value in a command: `<aws-access-key-id>`. */
export function placeholder(key: string): string {
  return `<${key.toLowerCase().replace(/_/g, '-')}>`;
}

export function patchSecretCommand(ref: ObjectRef, keys: readonly string[]): string {
  const stringData = Object.fromEntries(keys.map((key) => [key, placeholder(key)]));
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
