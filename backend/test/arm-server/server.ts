// A small, stateful Azure Resource Manager + Microsoft Entra ID test server, spoken to by the real
// @azure/identity, @azure/arm-compute and @azure/arm-network clients over HTTPS (certificate from
// hack/pki.ts). It implements what the peer-pods cloud layer uses, the way ARM does it:
//   - Entra ID: /<tenant>/v2.0/.well-known/openid-configuration and the client-credentials token
//     endpoint /<tenant>/oauth2/v2.0/token (invalid_client / AADSTS errors for bad secrets);
//   - bearer-token checks on every ARM call, and the api-version query parameter;
//   - VMs, NICs, disks, NSGs with security rules, VNets with subnets; list pages with nextLink;
//   - resource groups (GET, for their location), the compute resource SKUs of a location
//     ($filter=location eq '…') and its vCPU usages, counted from the VMs held (skus.ts); actions
//     listed in `state.denyActions` are refused with 403 AuthorizationFailed;
//   - long-running operations: 201/202 with Azure-AsyncOperation and Location headers, polled
//     until Succeeded (VM / NIC / disk deletion, security-rule writes);
//   - 404 for missing resources and groups, 409 for a priority clash or a concurrent NSG write,
//     400 NicInUse / 409 for deleting what is still attached;
//   - boot diagnostics: POST …/virtualMachines/<vm>/retrieveBootDiagnosticsData answers SAS URIs
//     (409 when boot diagnostics are off), and the serial console log blob is served at its SAS URI
//     (a storage account's answer: 403 AuthenticationFailed for a bad signature);
//   - injected faults (e.g. 429 with Retry-After, 403 AuthorizationFailed, or no answer at all)
//     for error tests.
// It never logs request bodies or headers, so it cannot leak a client secret either.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueCertificate } from '../../../hack/pki.ts';
import { usageWire } from './skus.ts';
import { ArmState, type ArmResource, type ResourceKind } from './state.ts';

export { ArmState, podVmImageId, RHCOS_WORKER_IMAGE } from './state.ts';
export type { ArmResource, SeedImage, SeedSecurityRule, SeedVm } from './state.ts';

export type ArmFault = {
  method?: string;
  /** Matched against the request path (no query); Entra ID paths too. */
  path: RegExp;
  /** How many matching requests it takes; default 1. */
  times?: number;
} & (
  | { status: number; code: string; message?: string; retryAfterSeconds?: number }
  /** Accept the request and never answer, until the client gives up or the server stops. */
  | { hang: true }
);

export interface ArmRequestRecord {
  method: string;
  /** Path and query. */
  url: string;
  /** 0 while unanswered. */
  status: number;
  /** Held by a `hang` fault: never answered. */
  hung?: true;
}

export interface StartArmServerOptions {
  subscriptionId: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Items per list page (usages and SKUs too); default 100. */
  pageSize?: number;
  /** How many polls a long-running operation answers InProgress before it completes; default 2. */
  operationPolls?: number;
}

export interface ArmServer {
  /** https://127.0.0.1:<port>, the ARM endpoint and the authority host. */
  endpoint: string;
  authorityHost: string;
  /** PEM of the CA that signed the server certificate. */
  caCertificate: string;
  state: ArmState;
  inject(fault: ArmFault): void;
  clearFaults(): void;
  readonly requests: ArmRequestRecord[];
  /** Tokens issued so far. */
  readonly tokensIssued: number;
  stop(): Promise<void>;
}

interface Operation {
  id: string;
  provider: string;
  pollsLeft: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  complete: () => void;
  /** The NSG an operation writes, for AnotherOperationInProgress. */
  lockedNsg?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const ARM_PREFIX =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/(Microsoft\.Compute|Microsoft\.Network)\/([A-Za-z]+)(?:\/([^/]+))?(?:\/([A-Za-z]+)(?:\/([^/]+))?)?$/i;
const RESOURCE_GROUP_PATH = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)$/i;
const SKUS_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/skus$/i;
const USAGES_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Compute\/locations\/([^/]+)\/usages$/i;
const LOCATION_FILTER = /^\s*location\s+eq\s+'([^']*)'\s*$/i;
const OPERATION_PATH =
  /^\/subscriptions\/([^/]+)\/providers\/(Microsoft\.Compute|Microsoft\.Network)\/locations\/([^/]+)\/(operations|operationResults)\/([^/]+)$/i;

const KIND_BY_COLLECTION: Record<string, ResourceKind> = {
  virtualmachines: 'vm',
  disks: 'disk',
  networkinterfaces: 'nic',
  networksecuritygroups: 'nsg',
  virtualnetworks: 'vnet',
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ms-request-id': randomUUID(),
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** The wire form of a resource as ARM returns it. */
function view(resource: ArmResource): Record<string, unknown> {
  return JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
}

const VALID_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'esp', 'ah', '*']);

export async function startArmServer(options: StartArmServerOptions): Promise<ArmServer> {
  const ca = await createCertificateAuthority('peer-pods-arm-test-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'arm-test',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
  });
  const state = new ArmState(options.subscriptionId);
  const pageSize = options.pageSize ?? 100;
  const operationPolls = options.operationPolls ?? 2;
  const tokens = new Map<string, number>();
  const operations = new Map<string, Operation>();
  const faults: { fault: ArmFault; remaining: number }[] = [];
  const requests: ArmRequestRecord[] = [];
  let tokensIssued = 0;
  let base = '';
  /** SAS signature → the VM whose serial log it reads (storage would check the HMAC; a random value does here). */
  const sasSignatures = new Map<string, string>();
  const BLOB_PATH = /^\/bootdiagnostics-blobs\/([^/]+)\/serialconsole\.log$/;

  /** Storage, not ARM: no bearer token, the SAS signature in the query is the credential. */
  function handleBlob(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    const match = BLOB_PATH.exec(url.pathname);
    if (!match) return false;
    const vmId = sasSignatures.get(url.searchParams.get('sig') ?? '');
    const log = vmId === undefined ? undefined : state.serialConsoleLog(vmId);
    if (request.method !== 'GET' || log === undefined || vmId?.split('/').pop() !== match[1]) {
      const text =
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.</Message></Error>';
      response.writeHead(403, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(text)) });
      response.end(text);
      return true;
    }
    const body = Buffer.from(log, 'utf8');
    response.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': String(body.length),
      'last-modified': new Date().toUTCString(),
      'x-ms-blob-type': 'AppendBlob',
    });
    response.end(body);
    return true;
  }

  function startOperation(provider: string, complete: () => void, lockedNsg?: string): Record<string, string> {
    const id = randomUUID();
    operations.set(id, { id, provider, pollsLeft: operationPolls, status: 'InProgress', complete, lockedNsg });
    const root = `${base}/subscriptions/${options.subscriptionId}/providers/${provider}/locations/${state.location}`;
    const apiVersion = provider === 'Microsoft.Compute' ? '2026-03-01' : '2025-05-01';
    return {
      'azure-asyncoperation': `${root}/operations/${id}?api-version=${apiVersion}`,
      location: `${root}/operationResults/${id}?api-version=${apiVersion}`,
    };
  }

  /** One poll: counts down, then completes the operation (applying its change) exactly once. */
  function poll(operation: Operation): void {
    if (operation.status !== 'InProgress') return;
    if (operation.pollsLeft > 0) {
      operation.pollsLeft -= 1;
      return;
    }
    try {
      operation.complete();
      operation.status = 'Succeeded';
    } catch {
      operation.status = 'Failed';
    }
  }

  function nsgBusy(nsgId: string): boolean {
    for (const operation of operations.values()) {
      if (operation.status === 'InProgress' && operation.lockedNsg === nsgId.toLowerCase()) return true;
    }
    return false;
  }

  function page(items: Record<string, unknown>[], url: URL): Record<string, unknown> {
    const offset = Number(url.searchParams.get('$skiptoken') ?? '0') || 0;
    const slice = items.slice(offset, offset + pageSize);
    const result: Record<string, unknown> = { value: slice };
    if (offset + pageSize < items.length) {
      // Every parameter of the first request ($filter too), as ARM's own nextLink carries them.
      const next = new URL(`${url.pathname}${url.search}`, base);
      next.searchParams.set('$skiptoken', String(offset + pageSize));
      result.nextLink = next.toString();
    }
    return result;
  }

  async function handleIdentity(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (discovery && request.method === 'GET') {
      const tenant = discovery[1];
      if (tenant !== options.tenantId) {
        send(response, 400, {
          error: 'invalid_tenant',
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
          error_codes: [90002],
        });
        return true;
      }
      send(response, 200, {
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        issuer: `${base}/${tenant}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        tenant_region_scope: 'NA',
      });
      return true;
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      const failure = (status: number, error: string, aadsts: number, description: string) =>
        send(response, status, {
          error,
          error_description: `AADSTS${aadsts}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
          error_codes: [aadsts],
          timestamp: new Date().toISOString(),
          trace_id: randomUUID(),
          correlation_id: randomUUID(),
        });
      if (token[1] !== options.tenantId) return (failure(400, 'invalid_request', 90002, 'Tenant not found.'), true);
      if (form.get('grant_type') !== 'client_credentials') {
        return (failure(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'), true);
      }
      if (form.get('client_id') !== options.clientId) {
        return (failure(400, 'unauthorized_client', 700016, 'Application was not found in the directory.'), true);
      }
      if (form.get('client_secret') !== options.clientSecret) {
        return (
          failure(
            401,
            'invalid_client',
            7000215,
            'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
          ),
          true
        );
      }
      if (!form.get('scope')?.endsWith('/.default')) {
        return (failure(400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.'), true);
      }
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, Date.now() + 3600_000);
      tokensIssued += 1;
      send(response, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
      return true;
    }
    return false;
  }

  function authorize(request: IncomingMessage): void {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const expires = match?.[1] ? tokens.get(match[1]) : undefined;
    if (!match)
      throw new HttpError(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
    if (expires === undefined || expires < Date.now()) {
      throw new HttpError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
  }

  function requireApiVersion(url: URL): void {
    if (!url.searchParams.get('api-version')) {
      throw new HttpError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    }
  }

  function requireSubscription(subscription: string | undefined): void {
    if (subscription !== options.subscriptionId)
      throw new HttpError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
  }

  function requireAction(action: string, scope: string): void {
    if (!state.denyActions.has(action)) return;
    throw new HttpError(
      403,
      'AuthorizationFailed',
      `The client '${options.clientId}' with object id '${options.clientId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }

  /** Subscription-level reads: a resource group, the compute SKUs, a location's usages. */
  function handleSubscriptionRead(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    const group = RESOURCE_GROUP_PATH.exec(url.pathname);
    const skus = SKUS_PATH.exec(url.pathname);
    const usages = USAGES_PATH.exec(url.pathname);
    if (!group && !skus && !usages) return false;
    if (request.method !== 'GET')
      throw new HttpError(405, 'MethodNotAllowed', `${request.method} is not supported here.`);
    const subscription = (group ?? skus ?? usages)?.[1];
    requireSubscription(subscription);
    const scope = `/subscriptions/${subscription}`;
    if (group) {
      const name = decodeURIComponent(group[2] ?? '');
      requireAction('Microsoft.Resources/subscriptions/resourceGroups/read', `${scope}/resourceGroups/${name}`);
      const found = state.resourceGroup(name);
      if (!found) throw new HttpError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
      send(response, 200, {
        id: `${scope}/resourceGroups/${found.name}`,
        name: found.name,
        type: 'Microsoft.Resources/resourceGroups',
        location: found.location,
        properties: { provisioningState: 'Succeeded' },
      });
    } else if (skus) {
      requireAction('Microsoft.Compute/skus/read', scope);
      const filter = url.searchParams.get('$filter');
      const location = filter === null ? undefined : LOCATION_FILTER.exec(filter)?.[1];
      if (filter !== null && location === undefined) {
        throw new HttpError(400, 'InvalidFilter', `Only a location filter is supported: ${filter}.`);
      }
      send(response, 200, page(state.skus(location), url));
    } else if (usages) {
      requireAction('Microsoft.Compute/locations/usages/read', scope);
      const location = decodeURIComponent(usages[2] ?? '');
      send(response, 200, page(state.usages(location).map(usageWire), url));
    }
    return true;
  }

  function handleOperation(response: ServerResponse, match: RegExpExecArray): void {
    const [, subscription, , , kind, id = ''] = match;
    if (subscription !== options.subscriptionId)
      throw new HttpError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    const operation = operations.get(id);
    if (!operation) throw new HttpError(404, 'OperationNotFound', `Operation ${id} was not found.`);
    poll(operation);
    if (kind?.toLowerCase() === 'operations') {
      send(response, 200, {
        id: `/subscriptions/${subscription}/providers/${operation.provider}/locations/${state.location}/operations/${id}`,
        name: id,
        status: operation.status,
        ...(operation.status === 'Failed'
          ? { error: { code: 'InternalOperationError', message: 'The operation failed.' } }
          : {}),
      });
      return;
    }
    if (operation.status === 'InProgress') {
      send(response, 202, undefined, { location: `${base}${match[0]}?api-version=2025-05-01` });
    } else if (operation.status === 'Failed') {
      send(response, 500, { error: { code: 'InternalOperationError', message: 'The operation failed.' } });
    } else {
      send(response, 204);
    }
  }

  async function handleArm(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    match: RegExpExecArray,
  ): Promise<void> {
    const [, subscription, group = '', , collection = '', name, childCollection, childName] = match;
    const method = request.method ?? 'GET';
    if (subscription !== options.subscriptionId) {
      throw new HttpError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    }
    if (!state.hasResourceGroup(group))
      throw new HttpError(404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);
    const kind = KIND_BY_COLLECTION[collection.toLowerCase()];
    if (!kind) throw new HttpError(404, 'InvalidResourceType', `The resource type '${collection}' could not be found.`);

    // Collections: GET lists one page.
    if (name === undefined) {
      if (method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here.`);
      send(response, 200, page(state.list(group, kind).map(view), url));
      return;
    }

    const resource = state.get(group, kind, name);
    const notFound = () =>
      new HttpError(
        404,
        'ResourceNotFound',
        `The Resource '${collection}/${name}' under resource group '${group}' was not found.`,
      );

    if (childCollection !== undefined)
      return handleChild(request, response, url, { group, kind, name, resource, childCollection, childName });

    if (method === 'GET') {
      if (!resource) throw notFound();
      send(response, 200, view(resource));
      return;
    }
    if (method !== 'DELETE')
      throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported by this test server for ${collection}.`);
    // ARM answers 204 when there is nothing to delete.
    if (!resource) return send(response, 204);
    if (kind === 'nic') {
      const vm = (resource.properties.virtualMachine as { id?: string } | undefined)?.id;
      if (vm && state.getById(vm)) {
        throw new HttpError(
          400,
          'NicInUse',
          `Network Interface ${resource.id} is used by existing resource ${vm}. In order to delete the network interface, it must be dissociated from the resource.`,
        );
      }
    }
    if (kind === 'disk' && resource.managedBy && state.getById(resource.managedBy)) {
      throw new HttpError(409, 'OperationNotAllowed', `Disk ${name} is attached to VM ${resource.managedBy}.`);
    }
    if (kind === 'vm') {
      if (resource.properties.provisioningState === 'Deleting') {
        throw new HttpError(
          409,
          'OperationNotAllowed',
          `Operation 'delete' is not allowed on VM '${name}' since the VM is marked for deletion.`,
        );
      }
      resource.properties.provisioningState = 'Deleting';
    } else {
      resource.properties.provisioningState = 'Deleting';
    }
    const provider = kind === 'nic' ? 'Microsoft.Network' : 'Microsoft.Compute';
    const headers = startOperation(provider, () => deleteResource(resource, kind));
    send(response, 202, undefined, headers);
  }

  function deleteResource(resource: ArmResource, kind: ResourceKind): void {
    state.remove(resource.id);
    if (kind !== 'vm') return;
    const profile = resource.properties as {
      storageProfile?: { osDisk?: { managedDisk?: { id?: string }; deleteOption?: string } };
      networkProfile?: { networkInterfaces?: { id: string; properties?: { deleteOption?: string } }[] };
    };
    const osDisk = profile.storageProfile?.osDisk;
    const diskId = osDisk?.managedDisk?.id;
    if (diskId) {
      if (osDisk?.deleteOption === 'Delete') state.remove(diskId);
      else {
        const disk = state.getById(diskId);
        if (disk) {
          delete disk.managedBy;
          disk.properties.diskState = 'Unattached';
        }
      }
    }
    for (const reference of profile.networkProfile?.networkInterfaces ?? []) {
      if (reference.properties?.deleteOption === 'Delete') state.remove(reference.id);
      else {
        const nic = state.getById(reference.id);
        if (nic) delete nic.properties.virtualMachine;
      }
    }
  }

  async function handleChild(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    target: {
      group: string;
      kind: ResourceKind;
      name: string;
      resource?: ArmResource;
      childCollection: string;
      childName?: string;
    },
  ): Promise<void> {
    const { group, kind, name, resource, childCollection, childName } = target;
    const method = request.method ?? 'GET';
    if (!resource)
      throw new HttpError(
        404,
        'ResourceNotFound',
        `The Resource '${name}' under resource group '${group}' was not found.`,
      );
    if (kind === 'vm' && childCollection.toLowerCase() === 'retrievebootdiagnosticsdata' && childName === undefined) {
      if (method !== 'POST') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here.`);
      if (state.serialConsoleLog(resource.id) === undefined) {
        throw new HttpError(
          409,
          'OperationNotAllowed',
          `Operation 'retrieveBootDiagnosticsData' is not allowed on VM '${name}' since boot diagnostics is not enabled on it.`,
        );
      }
      const minutes = Number(url.searchParams.get('sasUriExpirationTimeInMinutes') ?? '120') || 120;
      const sig = randomBytes(32).toString('base64url');
      sasSignatures.set(sig, resource.id);
      const sas = `sv=2024-08-04&sr=b&sp=r&se=${encodeURIComponent(new Date(Date.now() + minutes * 60_000).toISOString())}&sig=${sig}`;
      return send(response, 200, {
        consoleScreenshotBlobUri: `${base}/bootdiagnostics-blobs/${name}/screenshot.bmp?${sas}`,
        serialConsoleLogBlobUri: `${base}/bootdiagnostics-blobs/${name}/serialconsole.log?${sas}`,
      });
    }
    if (kind === 'vnet' && childCollection.toLowerCase() === 'subnets') {
      const subnets = (resource.properties.subnets as Record<string, unknown>[]) ?? [];
      if (childName === undefined) return send(response, 200, page(subnets, url));
      const subnet = subnets.find((entry) => String(entry.name).toLowerCase() === childName.toLowerCase());
      if (!subnet) throw new HttpError(404, 'NotFound', `Resource ${resource.id}/subnets/${childName} not found.`);
      return send(response, 200, subnet);
    }
    if (kind !== 'nsg' || childCollection.toLowerCase() !== 'securityrules') {
      throw new HttpError(404, 'InvalidResourceType', `The resource type '${childCollection}' could not be found.`);
    }
    if (childName === undefined) {
      if (method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here.`);
      return send(response, 200, page(state.securityRules(group, name), url));
    }
    const existing = state.securityRule(group, name, childName);
    if (method === 'GET') {
      if (!existing)
        throw new HttpError(404, 'NotFound', `Resource ${resource.id}/securityRules/${childName} not found.`);
      return send(response, 200, existing);
    }
    if (method === 'DELETE') {
      if (!existing) return send(response, 204);
      const headers = startOperation(
        'Microsoft.Network',
        () => {
          resource.properties.securityRules = state.securityRules(group, name).filter((rule) => rule !== existing);
        },
        resource.id.toLowerCase(),
      );
      return send(response, 202, undefined, headers);
    }
    if (method !== 'PUT') throw new HttpError(405, 'MethodNotAllowed', `${method} is not supported here.`);

    let body: { properties?: Record<string, unknown> };
    try {
      body = JSON.parse(await readBody(request)) as typeof body;
    } catch {
      throw new HttpError(400, 'InvalidRequestFormat', 'Cannot parse the request.');
    }
    const properties = body.properties ?? {};
    const priority = properties.priority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 100 || priority > 4096) {
      throw new HttpError(
        400,
        'SecurityRuleInvalidPriority',
        `Security rule ${childName} has invalid Priority. Value provided: ${String(priority)}. Allowed range 100-4096.`,
      );
    }
    for (const [field, allowed] of [
      ['direction', ['Inbound', 'Outbound']],
      ['access', ['Allow', 'Deny']],
    ] as const) {
      if (!allowed.includes(properties[field] as never)) {
        throw new HttpError(
          400,
          'InvalidRequestFormat',
          `Security rule ${childName}: ${field} must be one of ${allowed.join(', ')}.`,
        );
      }
    }
    if (!VALID_PROTOCOLS.has(String(properties.protocol).toLowerCase())) {
      throw new HttpError(400, 'SecurityRuleInvalidProtocol', `Security rule ${childName} has an invalid protocol.`);
    }
    for (const [single, plural] of [
      ['sourceAddressPrefix', 'sourceAddressPrefixes'],
      ['destinationAddressPrefix', 'destinationAddressPrefixes'],
      ['sourcePortRange', 'sourcePortRanges'],
      ['destinationPortRange', 'destinationPortRanges'],
    ] as const) {
      const many = properties[plural];
      if (!properties[single] && !(Array.isArray(many) && many.length > 0)) {
        throw new HttpError(
          400,
          'SecurityRuleParameterMissing',
          `Security rule ${childName} must specify ${single} or ${plural}.`,
        );
      }
    }
    if (nsgBusy(resource.id)) {
      throw new HttpError(
        409,
        'AnotherOperationInProgress',
        `Another operation on this or dependent resource is in progress. Resource ${resource.id}.`,
      );
    }
    const clash = state
      .securityRules(group, name)
      .find(
        (rule) =>
          String(rule.name).toLowerCase() !== childName.toLowerCase() &&
          (rule.properties as Record<string, unknown>).priority === priority &&
          (rule.properties as Record<string, unknown>).direction === properties.direction,
      );
    if (clash) {
      throw new HttpError(
        409,
        'SecurityRuleConflict',
        `Security rule ${childName} conflicts with rule ${String(clash.name)}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.`,
      );
    }
    const ruleId = `${resource.id}/securityRules/${childName}`;
    const rule = {
      id: ruleId,
      name: childName,
      type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      etag: `W/"${randomUUID()}"`,
      properties: {
        sourceAddressPrefixes: [],
        destinationAddressPrefixes: [],
        sourcePortRanges: [],
        destinationPortRanges: [],
        ...properties,
        provisioningState: 'Updating',
      },
    };
    state.setSecurityRule(group, name, rule);
    const headers = startOperation(
      'Microsoft.Network',
      () => {
        rule.properties.provisioningState = 'Succeeded';
      },
      resource.id.toLowerCase(),
    );
    send(response, existing ? 200 : 201, rule, headers);
  }

  const server: Server = createServer({ key: serving.keyPem, cert: serving.certPem }, (request, response) => {
    const url = new URL(request.url ?? '/', base);
    const record: ArmRequestRecord = {
      method: request.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      status: 0,
    };
    requests.push(record);
    response.on('finish', () => {
      record.status = response.statusCode;
    });
    (async () => {
      const active = faults.find(
        (entry) =>
          entry.remaining > 0 &&
          entry.fault.path.test(url.pathname) &&
          (!entry.fault.method || entry.fault.method === request.method),
      );
      if (active) {
        active.remaining -= 1;
        const { fault } = active;
        if ('hang' in fault) {
          record.hung = true;
          return;
        }
        await readBody(request);
        send(
          response,
          fault.status,
          { error: { code: fault.code, message: fault.message ?? `Injected ${fault.code}.` } },
          fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        );
        return;
      }
      if (await handleIdentity(request, response, url)) return;
      if (handleBlob(request, response, url)) return;
      const operation = OPERATION_PATH.exec(url.pathname);
      const arm = ARM_PREFIX.exec(url.pathname);
      const subscriptionLevel = [RESOURCE_GROUP_PATH, SKUS_PATH, USAGES_PATH].some((path) => path.test(url.pathname));
      if (!operation && !arm && !subscriptionLevel)
        throw new HttpError(404, 'NotFound', `No route for ${url.pathname}.`);
      authorize(request);
      requireApiVersion(url);
      if (handleSubscriptionRead(request, response, url)) return;
      if (operation) return handleOperation(response, operation);
      if (arm) return handleArm(request, response, url, arm);
    })().catch((error: unknown) => {
      if (response.headersSent) return void response.end();
      if (error instanceof HttpError) {
        send(response, error.status, { error: { code: error.code, message: error.message } }, error.headers);
      } else {
        send(response, 500, { error: { code: 'InternalServerError', message: 'The test ARM server failed.' } });
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint: base,
    authorityHost: base,
    caCertificate: ca.certPem,
    state,
    inject(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    requests,
    get tokensIssued() {
      return tokensIssued;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
