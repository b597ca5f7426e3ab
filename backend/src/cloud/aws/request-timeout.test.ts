// Regression (found by bench/reliability/faults.ts, cloud-api-errors): the SDK's requestTimeout
// only logged a warning, so an EC2 endpoint that accepted the connection and never answered held
// the call — and the API request or inventory refresh behind it — forever. Now each attempt gives
// up after requestTimeoutMs, is retried, and the call fails with a clear, secret-free error.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../test/fault-proxy.ts';
import { CloudError } from '../errors.ts';
import { AwsCloudProvider } from './provider.ts';

const credentials = { accessKeyId: 'test-timeout-access-key-id', secretAccessKey: 'test-timeout-secret-access-key' };
let proxy: FaultProxy;

beforeAll(async () => {
  // Nothing is ever forwarded: every request hangs at the proxy.
  proxy = await startFaultProxy({ target: 'http://127.0.0.1:9' });
  proxy.inject({ match: () => true, times: Infinity, respond: 'hang' });
});

afterAll(() => proxy.stop());

describe('an EC2 endpoint that never answers', () => {
  it('fails each attempt after the request timeout, retries, and reports the endpoint unavailable', async () => {
    const provider = new AwsCloudProvider({
      region: 'us-east-2',
      endpoint: proxy.endpoint,
      credentials,
      logger: pino({ level: 'silent' }),
      requestTimeoutMs: 300,
      maxAttempts: 2,
    });
    const error = await provider.listPeerPodVms({ provider: 'aws', tags: {} }).then(
      () => undefined,
      (err: unknown) => err,
    );
    provider.destroy();
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).code).toBe('unavailable');
    expect(proxy.requests.filter((r) => r.action === 'DescribeInstances')).toHaveLength(2);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain(credentials.secretAccessKey);
    expect(text).not.toContain(credentials.accessKeyId);
  });
});
