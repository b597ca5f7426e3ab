// Cloud failures as typed errors the API and the UI can show as they are: a stable code, a
// sentence that says what failed, on which object, and what to do. They never carry a secret:
// no SDK error object, request or credential is kept on them, and messages from a cloud pass
// through redactSecrets() before they are stored.

export type CloudProviderName = 'aws' | 'azure';

export type CloudErrorCode =
  | 'auth'
  | 'throttled'
  | 'not_found'
  | 'quota'
  | 'permission'
  | 'conflict'
  | 'invalid_config'
  | 'unavailable'
  | 'unknown';

export interface CloudErrorDetails {
  provider?: CloudProviderName;
  /** The cloud API operation, e.g. DescribeInstances or securityRules.createOrUpdate. */
  operation?: string;
  /** The cloud's own error code, e.g. UnauthorizedOperation or AuthorizationFailed. */
  cloudCode?: string;
  httpStatus?: number;
  requestId?: string;
}

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  readonly provider?: CloudProviderName;
  readonly operation?: string;
  readonly cloudCode?: string;
  readonly httpStatus?: number;
  readonly requestId?: string;

  constructor(code: CloudErrorCode, message: string, details: CloudErrorDetails = {}) {
    super(message);
    this.name = 'CloudError';
    this.code = code;
    this.provider = details.provider;
    this.operation = details.operation;
    this.cloudCode = details.cloudCode;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
  }

  /** Whether trying again later can succeed without anyone changing anything. */
  get retryable(): boolean {
    return this.code === 'throttled' || this.code === 'unavailable';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      cloudCode: this.cloudCode,
      httpStatus: this.httpStatus,
      requestId: this.requestId,
    };
  }
}

/** The cloud rejected the credentials (wrong, expired or revoked). */
export class CloudAuthError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('auth', message, details);
    this.name = 'CloudAuthError';
  }
}

/** The cloud kept throttling after every retry. */
export class CloudThrottledError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('throttled', message, details);
    this.name = 'CloudThrottledError';
  }
}

export class CloudNotFoundError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('not_found', message, details);
    this.name = 'CloudNotFoundError';
  }
}

export class CloudQuotaError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('quota', message, details);
    this.name = 'CloudQuotaError';
  }
}

/** The credentials are valid but not allowed to do this. */
export class CloudPermissionError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('permission', message, details);
    this.name = 'CloudPermissionError';
  }
}

/** The change collides with the cloud's current state (e.g. an NSG priority already in use). */
export class CloudConflictError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('conflict', message, details);
    this.name = 'CloudConflictError';
  }
}

/** Our configuration (ConfigMap, Secret, Infrastructure, provider options) is missing or wrong. */
export class CloudConfigError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('invalid_config', message, details);
    this.name = 'CloudConfigError';
  }
}

/** The cloud endpoint could not be reached or answered with a server error. */
export class CloudUnavailableError extends CloudError {
  constructor(message: string, details?: CloudErrorDetails) {
    super('unavailable', message, details);
    this.name = 'CloudUnavailableError';
  }
}

const ERROR_CLASSES: Record<CloudErrorCode, new (message: string, details?: CloudErrorDetails) => CloudError> = {
  auth: CloudAuthError,
  throttled: CloudThrottledError,
  not_found: CloudNotFoundError,
  quota: CloudQuotaError,
  permission: CloudPermissionError,
  conflict: CloudConflictError,
  invalid_config: CloudConfigError,
  unavailable: CloudUnavailableError,
  unknown: class CloudUnknownError extends CloudError {
    constructor(message: string, details?: CloudErrorDetails) {
      super('unknown', message, details);
      this.name = 'CloudError';
    }
  },
};

/** The error class that matches a code. */
export function cloudError(code: CloudErrorCode, message: string, details?: CloudErrorDetails): CloudError {
  return new ERROR_CLASSES[code](message, details);
}

/** Replaces every occurrence of each secret (at least 4 characters long) with "[redacted]". */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
