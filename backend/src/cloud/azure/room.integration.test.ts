// What the Azure account can give, read through the real @azure/arm-compute client from the ARM
// test server: the region, VM sizes from the location's resource SKUs, vCPU quotas from its usages
// (counted by the server from the VMs it holds), and the zone and image of listed peer-pod VMs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { podVmImageId, type ArmServer } from '../../../test/arm-server/server.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import { armTestProvider, startArmTestServer, SUBSCRIPTION } from '../test/arm-provider.ts';
import { failure } from '../test/failure.ts';
import { DC2AS_V5 } from '../test/vm-sizes.ts';
import type { AzureCloudProvider, AzureProviderOptions } from './provider.ts';

const CLIENT_SECRET = 'Q8~peerpods-azure-client-secret-room-must-not-leak';
const RG = 'room-cluster-rg';
/** The group lives away from the server's default location, so that the region can only come from it. */
const LOCATION = 'westeurope';
const USAGES = 'Microsoft.Compute/locations/usages/read';
const SKUS = 'Microsoft.Compute/skus/read';
const GROUPS = 'Microsoft.Resources/subscriptions/resourceGroups/read';

let arm: ArmServer;
const logs = memoryLogger();

function provider(overrides: Partial<AzureProviderOptions> = {}): AzureCloudProvider {
  return armTestProvider(arm, {
    resourceGroup: RG,
    clientSecret: CLIENT_SECRET,
    credentialsSource: 'Secret openshift-sandboxed-containers-operator/peer-pods-secret',
    logger: logs.logger,
    ...overrides,
  });
}

const requestsTo = (pattern: RegExp) => arm.requests.filter((request) => pattern.test(request.url.split('?')[0] ?? ''));

beforeAll(async () => {
  arm = await startArmTestServer(CLIENT_SECRET, {
    // A few items per page, so that the SKU and usage listings are read over several pages.
    pageSize: 4,
  });
  const { state } = arm;
  state.addResourceGroup(RG, LOCATION);
  state.setUsageLimit(LOCATION, 'standardDCASv5Family', 24);
  state.addVirtualMachine(RG, { name: 'room-cluster-worker-1', vmSize: 'Standard_D4s_v5', zones: ['1'] });
  state.addVirtualMachine(RG, { name: 'podvm-web-0-1a2b3c4d', vmSize: 'Standard_DC2as_v5' });
  state.addVirtualMachine(RG, {
    name: 'podvm-web-1-2b3c4d5e',
    vmSize: 'Standard_DC4as_v5',
    zones: ['2'],
    image: { publisher: 'redhat', offer: 'osc-podvm', sku: 'podvm-rhel9', version: '1.8.1' },
  });
  state.addVirtualMachine(RG, {
    name: 'podvm-gpu-0-3c4d5e6f',
    vmSize: 'Standard_NC6s_v3',
    image: { communityGalleryImageId: '/CommunityGalleries/podvm-1234/Images/podvm-gpu/Versions/0.1.0' },
  });
  // Another region's VM counts against that region only.
  state.addVirtualMachine('elsewhere-rg', { name: 'podvm-far-0-4d5e6f70', vmSize: 'Standard_DC2as_v5' });
});

afterAll(async () => {
  await arm?.stop();
});

beforeEach(() => {
  arm.clearFaults();
  arm.state.denyActions.clear();
  arm.requests.length = 0;
});

describe('region', () => {
  it('is the location of the pod-VM resource group, read once', async () => {
    const azure = provider();
    expect(await azure.region()).toBe(LOCATION);
    expect(await azure.region()).toBe(LOCATION);
    expect(requestsTo(/\/resourcegroups\/room-cluster-rg$/i)).toHaveLength(1);
  });

  it('is AZURE_REGION when it is set, as ARM names the location', async () => {
    expect(await provider({ region: 'North Europe' }).region()).toBe('northeurope');
    expect(requestsTo(/\/resourcegroups\//i)).toHaveLength(0);
  });
});

describe('describeSizes', () => {
  it('answers the asked VM sizes of the region, spelled as Azure spells them, and drops unknown names', async () => {
    const sizes = await provider().describeSizes(['standard_dc2as_v5', 'Standard_NC6s_v3', 'Standard_Nope_v9']);
    expect(sizes).toEqual([
      DC2AS_V5,
      { name: 'Standard_NC6s_v3', vcpus: 6, memoryMiB: 114688, gpus: 1, quota: 'standardNCSv3Family' },
    ]);
    const pages = requestsTo(/\/providers\/Microsoft\.Compute\/skus$/i);
    expect(pages.length).toBeGreaterThan(1);
    for (const request of pages) {
      expect(new URL(request.url, arm.endpoint).searchParams.get('$filter')).toBe(`location eq '${LOCATION}'`);
    }
  });

  it('still answers a size the subscription may not deploy in the region', async () => {
    arm.state.restrictSku('Standard_DC4as_v5', LOCATION);
    const sizes = await provider().describeSizes(['Standard_DC4as_v5']);
    expect(sizes.map((size) => size.name)).toEqual(['Standard_DC4as_v5']);
  });

  it('fails with a permission error naming Microsoft.Compute/skus/read when SKUs may not be read', async () => {
    arm.state.denyActions.add(SKUS);
    const error = await failure(() => provider().describeSizes(['Standard_DC2as_v5']));
    expect(error.code).toBe('permission');
    expect(error.message).toContain(SKUS);
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
  });
});

describe('readVcpuQuotas', () => {
  it('reads the family’s and the region’s vCPUs, counted from the VMs in the region, over several pages', async () => {
    // In westeurope: DC2as_v5 + DC4as_v5 (family DCASv5: 6), NC6s_v3 (6) and the D4s_v5 worker (4).
    expect(await provider().readVcpuQuotas(DC2AS_V5)).toEqual([
      { code: 'standardDCASv5Family', name: 'Standard DCASv5 Family vCPUs', state: 'known', limit: 24, used: 6 },
      { code: 'cores', name: 'Total Regional vCPUs', state: 'known', limit: 20, used: 16 },
    ]);
    expect(requestsTo(/\/locations\/westeurope\/usages$/).length).toBeGreaterThan(1);
  });

  it('calls a family the region lists no usage for unknown', async () => {
    const [family, total] = await provider().readVcpuQuotas({ ...DC2AS_V5, quota: 'standardXYZv9Family' });
    expect(family).toMatchObject({ code: 'standardXYZv9Family', state: 'unknown', detail: expect.any(String) });
    expect(total).toMatchObject({ code: 'cores', state: 'known' });
  });

  it('answers not-permitted, naming the permission, when usages may not be read', async () => {
    arm.state.denyActions.add(USAGES);
    const readings = await provider().readVcpuQuotas(DC2AS_V5);
    expect(readings.map((reading) => [reading.code, reading.state, reading.permission])).toEqual([
      ['standardDCASv5Family', 'not-permitted', USAGES],
      ['cores', 'not-permitted', USAGES],
    ]);
  });

  it('answers not-permitted when the region would come from a resource group that may not be read', async () => {
    arm.state.denyActions.add(GROUPS);
    const readings = await provider().readVcpuQuotas(DC2AS_V5);
    expect(readings.map((reading) => [reading.state, reading.permission])).toEqual([
      ['not-permitted', GROUPS],
      ['not-permitted', GROUPS],
    ]);
  });

  it('answers unknown with a sentence, and no secret, when Azure fails', async () => {
    arm.inject({ path: /\/usages$/, status: 500, code: 'InternalServerError' });
    const readings = await provider({ maxRetries: 0 }).readVcpuQuotas(DC2AS_V5);
    expect(readings.map((reading) => reading.state)).toEqual(['unknown', 'unknown']);
    expect(readings[0]?.detail).toMatch(/^Azure could not be reached or failed \(InternalServerError\)/);
    expect(JSON.stringify(readings)).not.toContain(CLIENT_SECRET);
  });
});

describe('listPeerPodVms', () => {
  it('tells each VM’s zone and image', async () => {
    const { vms } = await provider().listPeerPodVms({ provider: 'azure', tags: {}, resourceGroup: RG });
    const byName = Object.fromEntries(vms.map((vm) => [vm.name, { zone: vm.zone, image: vm.image }]));
    expect(byName).toEqual({
      'podvm-web-0-1a2b3c4d': { zone: undefined, image: podVmImageId(SUBSCRIPTION, RG) },
      'podvm-web-1-2b3c4d5e': { zone: 'westeurope-2', image: 'redhat:osc-podvm:podvm-rhel9:1.8.1' },
      'podvm-gpu-0-3c4d5e6f': {
        zone: undefined,
        image: '/CommunityGalleries/podvm-1234/Images/podvm-gpu/Versions/0.1.0',
      },
    });
  });
});
