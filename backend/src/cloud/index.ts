// The cloud layer's public surface: the CloudProvider interface and its errors, the cloud modules
// (one per cloud, registry.ts) and their lookups, settings parsing, the provider factory, and the
// cloud-agnostic inventory (correlation, orphans, cleanup).
// Callers import from here; only the cloud folders (aws/, azure/) name a cloud SDK.
export * from './provider.ts';
export type * from './module.ts';
export * from './modules.ts';
export * from './settings.ts';
export * from './inventory.ts';
export { createCloudProvider, type CreateCloudProviderOptions } from './create-provider.ts';
export { DEFAULT_PORT_RULE_OPTIONS, DEFAULT_VXLAN_PORT, KATA_AGENT_PORT, requiredPortRules } from './port-rules.ts';
