export * from './binaries.ts';
export * from './controlplane.ts';
export * from './fixtures.ts';
