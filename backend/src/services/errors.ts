// What a service refuses or fails at, in the domain's words: a stable code, a sentence that says
// what failed, on which object, and what to do, and the request field at fault when there is one.
// No HTTP here: server/errors.ts answers each kind with its status.
import type { CloudErrorCode } from '../cloud/index.ts';

export abstract class ServiceError extends Error {
  abstract readonly kind: 'not-configured' | 'not-confirmed' | 'not-ready' | 'cloud' | 'invalid' | 'refused';

  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Something the feature needs is missing from the cluster: the PeerPodConfig, its Secret or ConfigMap, a cloud worker. */
export class NotConfiguredError extends ServiceError {
  readonly kind = 'not-configured';

  constructor(message: string, code: 'not_configured' | 'no_worker' = 'not_configured') {
    super(code, message);
    this.name = 'NotConfiguredError';
  }
}

/** A change that must follow the user's confirmation of a dry run came without a good one. */
export class NotConfirmedError extends ServiceError {
  readonly kind = 'not-confirmed';

  constructor(message: string) {
    super('not_confirmed', message, 'confirmation');
    this.name = 'NotConfirmedError';
  }
}

/** The backend cannot decide yet (what the answer rests on is still being read); asking again later helps. */
export class NotReadyError extends ServiceError {
  readonly kind = 'not-ready';

  constructor(message: string) {
    super('not_ready', message);
    this.name = 'NotReadyError';
  }
}

/** A cloud call failed; `cloudCode` says how (auth, throttled, invalid_config, …), the message what to do. */
export class CloudRequestError extends ServiceError {
  readonly kind = 'cloud';

  constructor(
    readonly cloudCode: CloudErrorCode,
    message: string,
  ) {
    super(`cloud_${cloudCode}`, message);
    this.name = 'CloudRequestError';
  }
}

/** A value the request asks for breaks the domain's rule (e.g. a limit above MAX_LIMIT); `field` names it. */
export class InvalidValueError extends ServiceError {
  readonly kind = 'invalid';

  constructor(field: string, message: string) {
    super('invalid_request', message, field);
    this.name = 'InvalidValueError';
  }
}

/**
 * The API server refused a write made with the signed-in user's own token: `refusal` says how
 * (its 401, 403, 404, 409 or 422), the message is the API server's own, so the user reads e.g.
 * `forbidden: User "x" cannot patch resource "nodes"`.
 */
export class ApiServerRefusedError extends ServiceError {
  readonly kind = 'refused';

  constructor(
    readonly refusal: 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'invalid',
    message: string,
    field?: string,
  ) {
    super(refusal === 'not-found' ? 'not_found' : refusal, message, field);
    this.name = 'ApiServerRefusedError';
  }
}

export type DomainError =
  | NotConfiguredError
  | NotConfirmedError
  | NotReadyError
  | CloudRequestError
  | InvalidValueError
  | ApiServerRefusedError;

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof ServiceError;
}
