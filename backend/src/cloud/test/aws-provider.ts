// The AWS provider as the tests run it against moto: one region, reached through the fault proxy
// so that tests can count calls and inject errors, with the workers' network seeded past it. Each
// test file brings its own credentials (so that a leak names the file) and whatever it tunes.
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Logger } from 'pino';
import { startFaultProxy, type FaultProxy } from '../../../test/fault-proxy.ts';
import { startMotoServer, type StartMotoOptions } from '../../../test/moto.ts';
import { createWorkerNetwork, motoClient, MOTO_REGION, type MotoNetwork } from '../../../test/moto-seed.ts';
import { AwsCloudProvider, type AwsProviderOptions } from '../aws/provider.ts';

export interface MotoBehindProxy {
  /** Where providers are pointed: in front of moto. */
  proxy: FaultProxy;
  /** Seeds moto directly, so that seeding is neither counted nor faulted by the proxy. */
  seedClient: EC2Client;
  /** The worker's VPC, subnet, security group and instance. */
  network: MotoNetwork;
  stop(): Promise<void>;
}

export async function startMotoBehindProxy(
  credentials: AwsProviderOptions['credentials'],
  options: StartMotoOptions = {},
): Promise<MotoBehindProxy> {
  const moto = await startMotoServer(options);
  let proxy: FaultProxy | undefined;
  let seedClient: EC2Client | undefined;
  const stop = async () => {
    seedClient?.destroy();
    await proxy?.stop();
    await moto.stop();
  };
  try {
    proxy = await startFaultProxy({ target: moto.endpoint });
    seedClient = motoClient(moto.endpoint, credentials);
    const network = await createWorkerNetwork(seedClient);
    return { proxy, seedClient, network, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function motoTestProvider(
  proxy: { endpoint: string },
  options: { credentials: AwsProviderOptions['credentials']; logger: Logger } & Partial<AwsProviderOptions>,
): AwsCloudProvider {
  return new AwsCloudProvider({ region: MOTO_REGION, endpoint: proxy.endpoint, ...options });
}
