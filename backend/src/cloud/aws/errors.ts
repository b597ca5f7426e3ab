// EC2 and Service Quotas failures → CloudError. Only the error's code, HTTP status and request id
// are read from the SDK error; its message is used (redacted) only where it helps an admin.
import { cloudError, redactSecrets, type CloudError, type CloudErrorCode } from '../errors.ts';

export interface AwsErrorContext {
  /** The API's IAM prefix; default ec2. */
  service?: AwsService;
  /** The API action, e.g. DescribeInstances. */
  operation: string;
  /** What the call was about, e.g. "security group sg-123" or "instance i-0abc". */
  subject?: string;
  region: string;
  /** Where the credentials come from, e.g. "Secret openshift-sandboxed-containers-operator/peer-pods-secret". */
  credentialsSource: string;
  secrets: readonly (string | undefined)[];
}

export type AwsService = 'ec2' | 'servicequotas';

const ENDPOINT_NAMES: Record<AwsService, string> = { ec2: 'EC2', servicequotas: 'Service Quotas' };

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const AUTH_CODES = new Set([
  'AuthFailure',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ExpiredToken',
  'RequestExpired',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'OptInRequired',
  'CredentialsProviderError',
]);
const PERMISSION_CODES = new Set(['UnauthorizedOperation', 'AccessDenied', 'AccessDeniedException', 'Blocked']);
const THROTTLE_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);
const CONFLICT_CODES = new Set([
  'InvalidPermission.Duplicate',
  'DependencyViolation',
  'IncorrectState',
  'IncorrectInstanceState',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
]);

function classify(code: string, status: number | undefined): CloudErrorCode {
  if (AUTH_CODES.has(code)) return 'auth';
  if (PERMISSION_CODES.has(code)) return 'permission';
  if (THROTTLE_CODES.has(code)) return 'throttled';
  if (CONFLICT_CODES.has(code)) return 'conflict';
  if (code.endsWith('.NotFound') || code.endsWith('NotFound')) return 'not_found';
  if (code.endsWith('LimitExceeded') || code === 'InsufficientInstanceCapacity' || code === 'VcpuLimitExceeded')
    return 'quota';
  if (NETWORK_CODES.has(code)) return 'unavailable';
  if (code.startsWith('Invalid') || code.startsWith('Missing') || code === 'MalformedQueryString')
    return 'invalid_config';
  if (status !== undefined && status >= 500) return 'unavailable';
  return 'unknown';
}

function sentence(kind: CloudErrorCode, code: string, context: AwsErrorContext, attempts: number | undefined): string {
  const about = context.subject ? ` for ${context.subject}` : '';
  const service = context.service ?? 'ec2';
  switch (kind) {
    case 'auth':
      return `AWS rejected the credentials in ${context.credentialsSource} (${code}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN if it expired).`;
    case 'permission':
      return `The AWS credentials in ${context.credentialsSource} are not allowed to call ${service}:${context.operation}${about} (${code}). Grant that permission to the IAM user, or run the shown command as someone who has it.`;
    case 'throttled':
      return `AWS kept throttling ${context.operation}${about} in ${context.region} after ${attempts ?? 'several'} attempts with backoff (${code}). Try again in a minute.`;
    case 'not_found':
      return `AWS found no ${context.subject ?? 'such resource'} in region ${context.region} (${code}). Check the id and that AWS_REGION is the cluster’s region.`;
    case 'quota':
      return `An AWS limit stopped ${context.operation}${about} (${code}). Raise the quota in the Service Quotas console or free capacity.`;
    case 'conflict':
      return `AWS refused ${context.operation}${about} because of the resource’s current state (${code}).`;
    case 'unavailable':
      return `The ${ENDPOINT_NAMES[service]} endpoint for ${context.region} could not be reached or failed (${code}) during ${context.operation}. Check the cluster’s egress to AWS and try again.`;
    case 'invalid_config':
      return `AWS rejected the parameters of ${context.operation}${about} (${code}). Check AWS_REGION and the ids in peer-pods-cm.`;
    default:
      return `${context.operation}${about} failed in AWS (${code}).`;
  }
}

export function toAwsCloudError(error: unknown, context: AwsErrorContext): CloudError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const rawCode =
    typeof shape.code === 'string' && NETWORK_CODES.has(shape.code)
      ? shape.code
      : typeof shape.name === 'string'
        ? shape.name
        : 'UnknownError';
  const code = redactSecrets(rawCode, context.secrets);
  const status = shape.$metadata?.httpStatusCode;
  const kind = classify(code, status);
  let message = sentence(kind, code, context, shape.$metadata?.attempts);
  // The cloud's own words help for the generic cases; they never contain our secret, but we make sure.
  if ((kind === 'unknown' || kind === 'invalid_config' || kind === 'conflict') && typeof shape.message === 'string') {
    message += ` AWS said: ${redactSecrets(shape.message, context.secrets).slice(0, 300)}`;
  }
  return cloudError(kind, message, {
    provider: 'aws',
    operation: context.operation,
    cloudCode: code,
    httpStatus: status,
    requestId: shape.$metadata?.requestId,
  });
}

/** The EC2 error code of an SDK error, e.g. DryRunOperation. */
export function awsErrorCode(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}
