// The AWS provider's console output (EC2 GetConsoleOutput) against a real moto_server, through the
// fault-injecting proxy: what moto keeps for an instance, decoded, and never logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ec2Error, type FaultProxy } from '../../../test/fault-proxy.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import { launchPodVms, motoCredentials } from '../../../test/moto-seed.ts';
import { CloudError } from '../errors.ts';
import { motoTestProvider, startMotoBehindProxy, type MotoBehindProxy } from '../test/aws-provider.ts';
import type { AwsCloudProvider } from './provider.ts';

let moto: MotoBehindProxy;
let proxy: FaultProxy;
let instanceId: string;
const logs = memoryLogger();
const credentials = motoCredentials('console-output-test');

function provider(): AwsCloudProvider {
  return motoTestProvider(proxy, { credentials, maxAttempts: 1, logger: logs.logger });
}

/** The form bodies of the GetConsoleOutput calls that pass the proxy. */
const sent: string[] = [];

beforeAll(async () => {
  moto = await startMotoBehindProxy(credentials);
  proxy = moto.proxy;
  proxy.inject({
    match: (request) => {
      if (request.body.includes('Action=GetConsoleOutput')) sent.push(request.body);
      return false;
    },
    times: Infinity,
    respond: 'drop',
  });
  [{ id: instanceId }] = (await launchPodVms(moto.seedClient, {
    names: ['podvm-web-0-1a2b3c4d'],
    subnetId: moto.network.subnetId,
  })) as [{ id: string; name: string }];
});

afterAll(async () => {
  await moto?.stop();
});

describe('AwsCloudProvider.consoleOutput', () => {
  it('reads the newest console output of an instance, decoded, with when EC2 captured it', async () => {
    const read = await provider().consoleOutput(instanceId);
    // moto's canned console of every instance.
    expect(read.output).toContain('Linux version');
    expect(read.truncated).toBe(false);
    expect(read.unavailable).toBeUndefined();
    expect(Number.isNaN(Date.parse(read.capturedAt ?? ''))).toBe(false);
    expect(sent.at(-1)).toContain(`InstanceId=${instanceId}`);
    expect(sent.at(-1)).toContain('Latest=true');
  });

  it('asks again without Latest where EC2 does not keep the latest output for the instance type', async () => {
    proxy.inject({
      match: (request) => request.body.includes('Latest=true'),
      respond: ec2Error(
        400,
        'UnsupportedOperation',
        'The instance type does not support retrieving the latest console output.',
      ),
    });
    const before = sent.length;
    const read = await provider().consoleOutput(instanceId);
    expect(read.output).toContain('Linux version');
    expect(sent.slice(before).map((body) => body.includes('Latest=true'))).toEqual([true, false]);
  });

  it('refuses what is no instance id without calling EC2, and names a missing instance', async () => {
    const before = sent.length;
    await expect(provider().consoleOutput('sg-0123')).rejects.toMatchObject({ code: 'invalid_config' });
    expect(sent.length).toBe(before);
    const missing = await provider()
      .consoleOutput('i-0123456789abcdef0')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(CloudError);
    expect((missing as CloudError).message).toContain('i-0123456789abcdef0');
  });

  it('never logs the console text', async () => {
    await provider().consoleOutput(instanceId);
    expect(logs.text()).not.toContain('Linux version');
  });
});
