// Azure failures (ARM RestError, Microsoft Entra ID AuthenticationError) → CloudError. Only codes
// and statuses are read from the SDK error; any cloud text kept is passed through redactSecrets().
import { cloudError, redactSecrets, type CloudError, type CloudErrorCode } from '../errors.ts';

export interface AzureErrorContext {
  /** e.g. virtualMachines.list or securityRules.createOrUpdate */
  operation: string;
  /** What the call was about, e.g. "NSG cluster-nsg" or "VM podvm-web-1a2b3c4d". */
  subject?: string;
  /** Where the credentials come from, named in messages. */
  credentialsSource: string;
  /** The Azure permission the call needs, named when it is refused (e.g. Microsoft.Compute/skus/read). */
  permission?: string;
  secrets: readonly (string | undefined)[];
}

interface AzureErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown };
  request?: { headers?: { get?: (name: string) => string | undefined } };
  response?: { headers?: { get?: (name: string) => string | undefined } };
}

const NETWORK_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);
/** Errors of @azure/identity (MSAL's own errors arrive wrapped in AuthenticationRequiredError). */
const IDENTITY_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
]);
const PERMISSION_CODES = new Set([
  'AuthorizationFailed',
  'LinkedAuthorizationFailed',
  'Forbidden',
  'RequestDisallowedByPolicy',
]);

/** MSAL's code when its request to the token endpoint failed (refused, reset, timed out): no answer, no verdict. */
const MSAL_NETWORK_ERROR = 'network_error';

function classify(code: string, status: number | undefined, name: string, text: string): CloudErrorCode {
  if (IDENTITY_ERRORS.has(name)) return NETWORK_CODES.has(code) || code === MSAL_NETWORK_ERROR ? 'unavailable' : 'auth';
  if (
    status === 401 ||
    code === 'InvalidAuthenticationToken' ||
    code === 'AuthenticationFailed' ||
    code === 'ExpiredAuthenticationToken'
  ) {
    return 'auth';
  }
  if (status === 403 || PERMISSION_CODES.has(code)) return 'permission';
  if (status === 429 || code === 'TooManyRequests') return 'throttled';
  if (/quota|limitexceeded|skunotavailable|allocationfailed/i.test(code)) return 'quota';
  // Core quota exhaustion arrives as OperationNotAllowed with the word in the message.
  if (code === 'OperationNotAllowed' && /quota/i.test(text)) return 'quota';
  if (status === 404 || code.endsWith('NotFound')) return 'not_found';
  if (status === 409 || /conflict|inuse|inprogress|notallowed/i.test(code)) return 'conflict';
  if (NETWORK_CODES.has(code) || (status === undefined && name === 'RestError')) return 'unavailable';
  if (status !== undefined && status >= 500) return 'unavailable';
  if (status === 400) return 'invalid_config';
  return 'unknown';
}

function sentence(kind: CloudErrorCode, code: string, context: AzureErrorContext): string {
  const about = context.subject ? ` for ${context.subject}` : '';
  switch (kind) {
    case 'auth':
      return `Microsoft Entra ID or Azure Resource Manager rejected the service principal in ${context.credentialsSource} (${code}). Check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, and that the secret has not expired.`;
    case 'permission':
      if (context.permission) {
        return `The service principal in ${context.credentialsSource} may not call ${context.operation}${about} (${code}). Give it a role that includes ${context.permission} (Reader on the subscription does).`;
      }
      return `The service principal in ${context.credentialsSource} may not call ${context.operation}${about} (${code}). Give it a role that allows this (e.g. Network Contributor on the resource group), or run the shown command as someone who can.`;
    case 'throttled':
      return `Azure kept throttling ${context.operation}${about} after retries with backoff (${code}). Try again in a minute.`;
    case 'not_found':
      return `Azure found no ${context.subject ?? 'such resource'} (${code}). Check the resource group and names in peer-pods-cm and infrastructure/cluster.`;
    case 'quota':
      return `An Azure quota or capacity limit stopped ${context.operation}${about} (${code}). Raise the quota, or clean up orphaned pod VMs.`;
    case 'conflict':
      return `Azure refused ${context.operation}${about} because of the resource’s current state (${code}). Run discovery again and review the plan.`;
    case 'unavailable':
      return `Azure could not be reached or failed (${code}) during ${context.operation}. Check the cluster’s egress to Azure and try again.`;
    case 'invalid_config':
      return `Azure rejected the parameters of ${context.operation}${about} (${code}). Check the Azure settings in peer-pods-cm.`;
    default:
      return `${context.operation}${about} failed in Azure (${code}).`;
  }
}

export function toAzureCloudError(error: unknown, context: AzureErrorContext): CloudError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as AzureErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : undefined;
  let code = typeof shape.code === 'string' && shape.code ? shape.code : undefined;
  if (IDENTITY_ERRORS.has(name)) {
    // e.g. "invalid_client, AADSTS7000215": the OAuth error and the Entra ID number, never the description.
    const text = typeof shape.message === 'string' ? shape.message : '';
    const description =
      typeof shape.errorResponse?.errorDescription === 'string' ? shape.errorResponse.errorDescription : text;
    const entraError =
      typeof shape.errorResponse?.error === 'string'
        ? shape.errorResponse.error
        : (/^([a-z_]+):/.exec(text)?.[1] ?? name);
    const aadsts = /AADSTS\d+/.exec(description)?.[0];
    code = aadsts ? `${entraError}, ${aadsts}` : entraError;
  }
  code = redactSecrets(code ?? (status !== undefined ? `HTTP ${status}` : name), context.secrets);
  const kind = classify(code, status, name, typeof shape.message === 'string' ? shape.message : '');
  let message = sentence(kind, code, context);
  if (
    (kind === 'conflict' || kind === 'invalid_config' || kind === 'unknown') &&
    typeof shape.message === 'string' &&
    name === 'RestError'
  ) {
    message += ` Azure said: ${redactSecrets(shape.message, context.secrets).slice(0, 300)}`;
  }
  const requestId =
    shape.response?.headers?.get?.('x-ms-request-id') ?? shape.request?.headers?.get?.('x-ms-client-request-id');
  return cloudError(kind, message, {
    provider: 'azure',
    operation: context.operation,
    cloudCode: code,
    httpStatus: status,
    requestId,
  });
}

/** The HTTP status of an Azure SDK error, if it has one. */
export function azureStatus(error: unknown): number | undefined {
  const status = (error as AzureErrorShape | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
