// What every cloud module parses its settings with: the objects as the cluster holds them, a
// reader of their keys whose errors name the key and the object (never the value), Secret values
// wrapped so they print as "[redacted]", and the settings every cloud shares.
import { CloudConfigError, type CloudProviderName } from './errors.ts';

export { SecretValue } from '../secret-value.ts';

/** A ConfigMap or Secret as the Kubernetes API returns it (only the fields used here). */
export interface KeyValueObject {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string | undefined>;
}

/**
 * `infrastructure/cluster` as the API returns it: the platform type, and under platformStatus one
 * block per cloud (`aws: {region}`, `azure: {resourceGroupName, …}`) that only its module reads.
 */
export interface InfrastructureLike {
  status?: {
    platform?: string;
    platformStatus?: { type?: string; [cloud: string]: unknown };
  };
}

export interface CloudSettingsInput {
  configMap: KeyValueObject;
  secret: KeyValueObject;
  /** `infrastructure/cluster`; optional, but needed when the ConfigMap leaves region / resource group out. */
  infrastructure?: InfrastructureLike;
}

/** The settings of every cloud; each module's settings add their own (provider is the module's id). */
export interface CommonCloudSettings {
  provider: CloudProviderName;
  /** e.g. `ConfigMap openshift-sandboxed-containers-operator/peer-pods-cm`, for messages. */
  configMapRef: string;
  secretRef: string;
  vxlanPort: number;
  limitPerNode?: number;
  /**
   * The pod VM sizes the adaptor picks from (contract/src/sizing.ts): the default size key
   * (PODVM_INSTANCE_TYPE / AZURE_INSTANCE_SIZE) when set, and the allowed list
   * (PODVM_INSTANCE_TYPES / AZURE_INSTANCE_SIZES), empty when unset.
   */
  sizes: { defaultSize?: string; allowed: string[] };
  /** TAGS from the ConfigMap (`k1=v1,k2=v2`): the cloud-api-adaptor puts them on every pod VM. */
  tags: Record<string, string>;
}

/** A key of the ConfigMap, Secret or Infrastructure is missing or malformed. */
export class CloudSettingsError extends CloudConfigError {
  readonly key: string;
  readonly object: string;

  constructor(key: string, object: string, problem: string) {
    super(`${object}: key ${key} ${problem}`);
    this.name = 'CloudSettingsError';
    this.key = key;
    this.object = object;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), key: this.key, object: this.object };
  }
}

export function objectRef(kind: 'ConfigMap' | 'Secret', object: KeyValueObject, fallbackName: string): string {
  const name = object.metadata?.name ?? fallbackName;
  const namespace = object.metadata?.namespace;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** Reads the keys of one object; every error names the key and the object, never the value. */
export class KeyReader {
  constructor(
    private readonly values: Record<string, string | undefined>,
    readonly ref: string,
  ) {}

  optional(key: string): string | undefined {
    const value = this.values[key]?.trim();
    return value ? value : undefined;
  }

  required(key: string, hint: string): string {
    const value = this.optional(key);
    if (value === undefined) throw new CloudSettingsError(key, this.ref, `is missing or empty; ${hint}`);
    return value;
  }

  /**
   * The key's value, else what infrastructure/cluster says (`fromInfrastructure`, found at
   * `infrastructurePath`); missing in both is an error naming both places.
   */
  orInfrastructure(key: string, fromInfrastructure: string | undefined, infrastructurePath: string): string {
    const value = this.optional(key) ?? fromInfrastructure;
    if (!value) {
      throw new CloudSettingsError(
        key,
        this.ref,
        `is missing and infrastructure/cluster has no ${infrastructurePath}; set ${key}`,
      );
    }
    return value;
  }

  matching(key: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
    if (value !== undefined && !pattern.test(value)) {
      throw new CloudSettingsError(key, this.ref, `is not ${expected}`);
    }
    return value;
  }
}

export function decodeSecretData(secret: KeyValueObject, ref: string): Record<string, string | undefined> {
  const decoded: Record<string, string | undefined> = {};
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    if (encoded === undefined) continue;
    const compact = encoded.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
      throw new CloudSettingsError(key, ref, 'is not valid base64 (Secret data must be base64-encoded)');
    }
    decoded[key] = Buffer.from(compact, 'base64').toString('utf8');
  }
  return decoded;
}

/** TAGS: `key1=value1,key2=value2`, as the cloud-api-adaptor reads it. */
export function parseTags(raw: string | undefined, ref = 'ConfigMap peer-pods-cm'): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!raw) return tags;
  for (const pair of raw.split(',')) {
    if (!pair.trim()) continue;
    const equals = pair.indexOf('=');
    const key = (equals < 0 ? '' : pair.slice(0, equals)).trim();
    if (!key) throw new CloudSettingsError('TAGS', ref, 'is not a comma-separated list of key=value pairs');
    tags[key] = pair.slice(equals + 1).trim();
  }
  return tags;
}

/** The readers of one parse: the ConfigMap's keys and the Secret's (decoded) keys. */
export interface SettingsReaders {
  configMap: KeyReader;
  secret: KeyReader;
}
