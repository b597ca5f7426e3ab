// A per-attempt timeout for the Azure SDK pipeline (ARM and Entra ID requests alike). The SDK sets
// none by default, so an endpoint that accepts the connection and never answers held the call
// forever. Its own `request.timeout` would not help: it only covers the wait for the response
// headers, and it ends the attempt with an AbortError, which the retry policy does not retry.
// This policy aborts the whole attempt (headers and body) after `timeoutMs` and raises a RestError
// with code ETIMEDOUT instead, which the default retry policy retries with backoff like any other
// network error; when the retries run out, toAzureCloudError() maps it to `unavailable`.
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

export const ATTEMPT_TIMEOUT_POLICY = 'peerPodsAttemptTimeout';

export function attemptTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: ATTEMPT_TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const callerSignal = request.abortSignal;
      if (callerSignal?.aborted) return next(request);
      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeoutMs);
      const forwardAbort = () => attempt.abort();
      callerSignal?.addEventListener('abort', forwardAbort);
      request.abortSignal = attempt.signal;
      try {
        return await next(request);
      } catch (error) {
        // A caller's own cancellation stays an AbortError: it must not be retried.
        if (timedOut && !callerSignal?.aborted) {
          throw new RestError(`No answer within ${timeoutMs} ms.`, { code: 'ETIMEDOUT', request });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', forwardAbort);
        request.abortSignal = callerSignal;
      }
    },
  };
}
