// Cloud settings, parsed once from the objects the cluster holds: the ConfigMap `peer-pods-cm`,
// the Secret `peer-pods-secret` (base64 data) and `infrastructure/cluster` (platform, region,
// resource group). Pure: the caller reads the objects (and re-parses when they change).
// The keys every cloud shares are read here; CLOUD_PROVIDER picks the cloud module that reads the
// rest. A missing or bad key is an error that names the key and the object and never shows the
// value. Every value from the Secret is wrapped in SecretValue, which prints as "[redacted]".
import { ADAPTOR_LIMIT_KEY, parseSizeList, SIZE_KEYS } from '@peer-pods-console/contract/sizing';
import {
  cloudIdsText,
  cloudModuleOfPlatform,
  findCloudModule,
  platformTypeOf,
  type RegisteredCloudModule,
} from './modules.ts';
import { DEFAULT_VXLAN_PORT } from './port-rules.ts';
import {
  CloudSettingsError,
  decodeSecretData,
  KeyReader,
  objectRef,
  parseTags,
  type CloudSettingsInput,
  type CommonCloudSettings,
} from './settings-reader.ts';

export {
  CloudSettingsError,
  parseTags,
  SecretValue,
  type CloudSettingsInput,
  type CommonCloudSettings,
  type InfrastructureLike,
  type KeyValueObject,
} from './settings-reader.ts';

/** The settings of any registered cloud: each module's own type, told apart by `provider`. */
export type CloudSettings = ReturnType<RegisteredCloudModule['parseSettings']>;

function parsePort(reader: KeyReader, key: string, fallback: number): number {
  const raw = reader.optional(key);
  if (raw === undefined) return fallback;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new CloudSettingsError(key, reader.ref, 'is not a port number from 1 to 65535');
  return port;
}

/**
 * Ports of the worker nodes that VXLAN_PORT must not take: the cluster network's own VXLAN
 * (4789, OpenShift SDN) and Geneve (6081, OVN-Kubernetes) ports, and the kata-agent port 15150
 * that peer pods need beside it.
 */
const TAKEN_VXLAN_PORTS = new Map([
  [4789, "the cluster network's VXLAN port"],
  [6081, "OVN-Kubernetes' Geneve port"],
  [15150, 'the kata-agent port peer pods also need'],
]);

function parseVxlanPort(reader: KeyReader, fallback: number): number {
  const port = parsePort(reader, 'VXLAN_PORT', fallback);
  const taken = TAKEN_VXLAN_PORTS.get(port);
  if (taken) {
    throw new CloudSettingsError(
      'VXLAN_PORT',
      reader.ref,
      `is ${port}, ${taken}; peer pods need a port of their own, e.g. ${fallback} (the default)`,
    );
  }
  return port;
}

function parseCount(reader: KeyReader, key: string): number | undefined {
  const raw = reader.optional(key);
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new CloudSettingsError(key, reader.ref, 'is not a non-negative whole number');
  return Number(raw);
}

export function parseCloudSettings(input: CloudSettingsInput): CloudSettings {
  const configMap = new KeyReader(input.configMap.data ?? {}, objectRef('ConfigMap', input.configMap, 'peer-pods-cm'));
  const secretRef = objectRef('Secret', input.secret, 'peer-pods-secret');
  const secret = new KeyReader(decodeSecretData(input.secret, secretRef), secretRef);

  const providerValue = configMap.required('CLOUD_PROVIDER', `set it to ${cloudIdsText()}`);
  const module = findCloudModule(providerValue);
  if (!module) throw new CloudSettingsError('CLOUD_PROVIDER', configMap.ref, `must be ${cloudIdsText()}`);
  const platformType = platformTypeOf(input.infrastructure);
  const platformModule = cloudModuleOfPlatform(platformType);
  // Another platform (None, BareMetal…) is left to the setup checklist; another cloud is a mistake.
  if (platformModule && platformModule.id !== module.id) {
    throw new CloudSettingsError(
      'CLOUD_PROVIDER',
      configMap.ref,
      'names a different cloud than infrastructure/cluster .status.platformStatus.type; peer pods run in the cluster’s own cloud',
    );
  }

  const common: CommonCloudSettings = {
    provider: module.id,
    configMapRef: configMap.ref,
    secretRef,
    vxlanPort: parseVxlanPort(configMap, DEFAULT_VXLAN_PORT),
    limitPerNode: parseCount(configMap, ADAPTOR_LIMIT_KEY),
    sizes: {
      defaultSize: configMap.optional(SIZE_KEYS[module.id].default),
      allowed: parseSizeList(configMap.optional(SIZE_KEYS[module.id].allowed)),
    },
    tags: parseTags(configMap.optional('TAGS'), configMap.ref),
  };
  // The module parses for its own id only, so its settings are of the registered kind.
  return module.parseSettings(input, { configMap, secret }, common) as CloudSettings;
}
