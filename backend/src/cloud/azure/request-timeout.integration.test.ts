// Regression (found by reading, the same class as the AWS provider's hung EC2 call): the Azure SDK
// pipeline sets no request timeout, so an ARM or Entra ID endpoint that accepted the connection and
// never answered held the call — and the API request or inventory refresh behind it — forever.
// Now each attempt gives up after requestTimeoutMs, is retried, and the call fails with a clear,
// secret-free error. Through the real @azure clients against the ARM test server's `hang` fault;
// the bound is each test's timeout: without the fix these calls never finish.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArmServer } from '../../../test/arm-server/server.ts';
import { armTestProvider, CLIENT_ID, startArmTestServer, SUBSCRIPTION, TENANT } from '../test/arm-provider.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import type { CloudError } from '../errors.ts';
import type { ClusterIdentity } from '../inventory.ts';
import { AzureCloudProvider } from './provider.ts';
import { failure } from '../test/failure.ts';

const CLIENT_SECRET = 'Q8~peerpods-azure-timeout-secret-must-not-leak';
const RG = 'timeout-cluster-rg';
const NSG = 'timeout-cluster-nsg';
const WORKER_PREFIX = '10.0.32.0/19';
const SCOPE: ClusterIdentity = { provider: 'azure', tags: {}, resourceGroup: RG };
const WORKER_PROVIDER_ID = `azure:///subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/timeout-cluster-worker-1`;
/** Short, so a hung attempt costs half a second; the default is 30 s. */
const REQUEST_TIMEOUT_MS = 500;

let arm: ArmServer;
const logs = memoryLogger();

/** A fresh provider each time: no token cached from an earlier test. */
function provider(maxRetries: number): AzureCloudProvider {
  return armTestProvider(arm, {
    resourceGroup: RG,
    clientSecret: CLIENT_SECRET,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    maxRetries,
    credentialsSource: 'Secret openshift-sandboxed-containers-operator/peer-pods-secret',
    logger: logs.logger,
  });
}

function expectNoCredential(error: CloudError): void {
  const text = `${error.message} ${JSON.stringify(error)} ${logs.text()}`;
  for (const credential of [CLIENT_SECRET, CLIENT_ID, TENANT]) expect(text).not.toContain(credential);
}

const requestsTo = (method: string, pattern: RegExp) =>
  arm.requests.filter((request) => request.method === method && pattern.test(request.url.split('?')[0] ?? ''));

beforeAll(async () => {
  arm = await startArmTestServer(CLIENT_SECRET);
  arm.state.addNetworkSecurityGroup(RG, NSG, []);
  arm.state.addVirtualNetwork(RG, 'timeout-cluster-vnet', {
    addressPrefixes: ['10.0.0.0/16'],
    subnets: [{ name: 'timeout-cluster-worker-subnet', addressPrefix: WORKER_PREFIX, nsgName: NSG }],
  });
  arm.state.addVirtualMachine(RG, { name: 'timeout-cluster-worker-1', withDisk: false });
});

afterAll(async () => {
  await arm?.stop();
});

beforeEach(() => {
  arm.clearFaults();
  arm.requests.length = 0;
  logs.lines.length = 0;
});

describe('an ARM endpoint that never answers', () => {
  it(
    'gives up on a hung attempt after the request timeout and succeeds on the retry',
    { timeout: 15_000 },
    async () => {
      arm.inject({ method: 'GET', path: /\/networkSecurityGroups$/, hang: true });
      const discovery = await provider(2).discoverPortRules(WORKER_PROVIDER_ID);
      expect(discovery.nsg.name).toBe(NSG);
      expect(discovery.subnet.addressPrefix).toBe(WORKER_PREFIX);
      const nsgLists = requestsTo('GET', /\/networkSecurityGroups$/);
      expect(nsgLists.map((request) => [request.hung ?? false, request.status])).toEqual([
        [true, 0],
        [false, 200],
      ]);
    },
  );

  it(
    'fails with an unavailable error naming the operation once every attempt has hung',
    { timeout: 15_000 },
    async () => {
      arm.inject({ path: /^\/subscriptions\//, times: Infinity, hang: true });
      const error = await failure(() => provider(2).listPeerPodVms(SCOPE));
      expect(error).toMatchObject({
        code: 'unavailable',
        provider: 'azure',
        operation: 'virtualMachines.list',
        cloudCode: 'ETIMEDOUT',
        retryable: true,
      });
      expect(error.message).toContain('during virtualMachines.list');
      expect(error.message).toContain('egress to Azure');
      // The first attempt and two retries, each held until it timed out.
      const lists = requestsTo('GET', /\/virtualMachines$/);
      expect(lists).toHaveLength(3);
      expect(lists.every((request) => request.hung)).toBe(true);
      expectNoCredential(error);
    },
  );

  it('also gives up on a Microsoft Entra ID token endpoint that never answers', { timeout: 15_000 }, async () => {
    arm.inject({ path: /\/oauth2\/v2\.0\/token$/, times: Infinity, hang: true });
    const error = await failure(() => provider(1).listPeerPodVms(SCOPE));
    expect(error).toMatchObject({ code: 'unavailable', operation: 'virtualMachines.list', cloudCode: 'network_error' });
    expect(error.message).toContain('egress to Azure');
    // The first attempt and one retry, each held until it timed out; no ARM call without a token.
    const tokenRequests = requestsTo('POST', /\/oauth2\/v2\.0\/token$/);
    expect(tokenRequests).toHaveLength(2);
    expect(tokenRequests.every((request) => request.hung)).toBe(true);
    expect(requestsTo('GET', /\/virtualMachines$/)).toHaveLength(0);
    expectNoCredential(error);
  });
});
