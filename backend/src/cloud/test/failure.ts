// Test helper: the CloudError a provider call fails with (any other error or a success fails the test).
import { CloudError } from '../errors.ts';

export async function failure(run: () => Promise<unknown>): Promise<CloudError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CloudError) return error;
    throw error;
  }
  throw new Error('expected a CloudError');
}
