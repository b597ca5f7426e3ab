// The cloud layer's public surface: the CloudProvider interface and its errors, settings parsing,
// the provider factory, and the cloud-agnostic inventory (correlation, orphans, cleanup).
// Callers import from here; only aws/ and azure/ name a cloud SDK.
export * from './provider.ts';
export * from './settings.ts';
export * from './inventory.ts';
export { createCloudProvider, type CreateCloudProviderOptions } from './create-provider.ts';
export { DEFAULT_PORT_RULE_OPTIONS, DEFAULT_VXLAN_PORT, KATA_AGENT_PORT, requiredPortRules } from './port-rules.ts';
