// The API server's answer to a request made with the signed-in user's own token, in the domain's
// words: its refusal keeps the API server's message (who may not do what, which object is missing
// or invalid), which names no credential.
import { KubeApiError } from '../kube/client.ts';
import { ApiServerRefusedError } from './errors.ts';

const REFUSALS: Record<number, ApiServerRefusedError['refusal']> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  422: 'invalid',
};

/** The refusal an error of the user's request is, or undefined (transport failures, 5xx: the caller rethrows). */
export function refusalOf(err: unknown, field?: string): ApiServerRefusedError | undefined {
  if (!(err instanceof KubeApiError)) return undefined;
  const refusal = REFUSALS[err.code];
  if (!refusal) return undefined;
  const message =
    refusal === 'unauthenticated'
      ? 'the API server did not accept your token for this request; sign in again'
      : err.detail || `the API server refused the request (${err.code})`;
  return new ApiServerRefusedError(refusal, message, refusal === 'invalid' ? field : undefined);
}
