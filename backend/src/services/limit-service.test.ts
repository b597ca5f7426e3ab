// The limit writes against a fake API server that applies JSON Patches to one stored object and
// answers as kube-apiserver does (a failed test op is a 422; RBAC refusals are the caller's 403).
import { describe, expect, it } from 'vitest';
import { CONSOLE_FIELD_MANAGER } from '@peer-pods-console/contract/operations';
import { limitChangeOf } from '../capacity/change-event.ts';
import { BearerToken, KubeApiError, type KubeRequest, type KubeRequester } from '../kube/client.ts';
import { createLogger } from '../logging.ts';
import { ApiServerRefusedError, InvalidValueError } from './errors.ts';
import { changePatch, LimitService, pointerToken } from './limit-service.ts';

type Json = Record<string, unknown>;
type Operation = { op: string; path: string; value?: unknown };

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** RFC 6902, the four operations the service sends, on a copy. */
function applyPatch(object: Json, patch: Operation[]): Json {
  const copy = structuredClone(object);
  for (const { op, path, value } of patch) {
    const tokens = path.split('/').slice(1).map(unescape);
    const key = tokens.pop()!;
    let parent: Json | undefined = copy;
    for (const token of tokens) parent = parent?.[token] as Json | undefined;
    if (!parent) throw new Error(`${op} ${path}: no parent`);
    if (op === 'test' && JSON.stringify(parent[key]) !== JSON.stringify(value)) {
      throw new Error(`testing value ${path} failed: test failed`);
    }
    if ((op === 'replace' || op === 'remove') && !(key in parent)) throw new Error(`${op} ${path}: missing`);
    if (op === 'add' || op === 'replace') parent[key] = value;
    if (op === 'remove') delete parent[key];
  }
  return copy;
}

interface FakeOptions {
  /** Refuse patches with this 403 message. */
  forbidden?: string;
  /** Runs once, between the service's read and its write (another writer). */
  beforeFirstPatch?: (stored: Json) => void;
}

/** One object at `path`; PATCH applies the JSON Patch and bumps the resourceVersion. */
function fakeApiServer(path: string, initial: Json, options: FakeOptions = {}) {
  const state = { stored: structuredClone(initial), version: 1, requests: [] as KubeRequest[], tokens: [] as string[] };
  (state.stored.metadata as Json).resourceVersion = '1';
  let interfered = false;
  const requester = (token: BearerToken): KubeRequester => ({
    request: async <T>(req: KubeRequest): Promise<T> => {
      state.requests.push(req);
      state.tokens.push(token.reveal());
      if (req.path !== path) throw new KubeApiError(404, 'NotFound', 'not found', req.method, req.path, 'not found');
      if (req.method === 'GET') return structuredClone(state.stored) as T;
      if (options.forbidden) throw new KubeApiError(403, 'Forbidden', 'x', req.method, req.path, options.forbidden);
      if (!interfered && options.beforeFirstPatch) {
        interfered = true;
        options.beforeFirstPatch(state.stored);
        state.version += 1;
        (state.stored.metadata as Json).resourceVersion = String(state.version);
      }
      try {
        state.stored = applyPatch(state.stored, req.body as Operation[]);
      } catch (err) {
        const detail = (err as Error).message;
        throw new KubeApiError(422, '', detail, req.method, req.path, detail);
      }
      state.version += 1;
      (state.stored.metadata as Json).resourceVersion = String(state.version);
      return structuredClone(state.stored) as T;
    },
  });
  return { state, client: { asUser: requester } };
}

function recordingRecorder() {
  const events: {
    ref: unknown;
    type: string;
    reason: string;
    message: string;
    annotations?: Record<string, string>;
  }[] = [];
  return {
    events,
    event(
      ref: unknown,
      type: string,
      reason: string,
      message: string,
      options: { annotations?: Record<string, string> } = {},
    ) {
      events.push({ ref, type, reason, message, annotations: options.annotations });
      return { namespace: 'ns', name: `event-${events.length}` };
    },
  };
}

const CONFIG_PATH = '/apis/confidentialcontainers.org/v1alpha1/namespaces/ns/peerpodconfigs/ppc';
const NODE_PATH = '/api/v1/nodes/worker-0';
const OVERRIDE = 'peerpods.openshift.io/vm-limit';
const actor = { user: { username: 'test-admin', groups: ['system:masters'] }, token: new BearerToken('secret-token') };
const config = (limit?: string): Json => ({
  metadata: { name: 'ppc', namespace: 'ns', uid: 'uid-ppc' },
  spec: { cloudSecretName: 'peer-pods-secret', ...(limit === undefined ? {} : { limit }) },
});
const node = (annotations?: Record<string, string>): Json => ({
  metadata: { name: 'worker-0', uid: 'uid-node', ...(annotations ? { annotations } : {}) },
});

function service(fake: ReturnType<typeof fakeApiServer>) {
  const recorder = recordingRecorder();
  const limits = new LimitService({
    client: fake.client,
    recorder,
    logger: createLogger('silent'),
    now: () => new Date('2025-01-02T03:04:05.678Z'),
  });
  return { limits, recorder };
}

describe('changing the PeerPodConfig limit as the user', () => {
  it("writes spec.limit as a string with the user's own token and the console's field manager", async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'));
    const { limits } = service(fake);

    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 12, actor);

    expect(result).toEqual({ target: 'ns/ppc', old: '10', new: '12', event: { namespace: 'ns', name: 'event-1' } });
    expect((fake.state.stored.spec as Json).limit).toBe('12');
    expect(fake.state.tokens).toEqual(['secret-token', 'secret-token']);
    const patch = fake.state.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.query).toEqual({ fieldManager: CONSOLE_FIELD_MANAGER });
    expect(patch.contentType).toBe('application/json-patch+json');
    expect(patch.body).toEqual([
      { op: 'test', path: '/spec/limit', value: '10' },
      { op: 'replace', path: '/spec/limit', value: '12' },
    ]);
  });

  it('records an Event on the PeerPodConfig naming the user, old → new, with the change as JSON', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'));
    const { limits, recorder } = service(fake);

    await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 12, actor);

    expect(recorder.events).toHaveLength(1);
    const [event] = recorder.events;
    expect(event!.ref).toEqual({
      apiVersion: 'confidentialcontainers.org/v1alpha1',
      kind: 'PeerPodConfig',
      name: 'ppc',
      namespace: 'ns',
      uid: 'uid-ppc',
    });
    expect(event!.reason).toBe('PeerPodLimitChanged');
    expect(event!.message).toBe('test-admin changed the VM limit of PeerPodConfig ns/ppc: 10 → 12');
    expect(limitChangeOf(event!.annotations)).toEqual({
      kind: 'limit',
      actor: 'test-admin',
      via: 'console',
      target: 'ns/ppc',
      old: '10',
      new: '12',
      at: '2025-01-02T03:04:05.678Z',
      resourceVersion: '2',
    });
    expect(JSON.stringify(recorder.events)).not.toContain('secret-token');
  });

  it('adds spec.limit when there is none, guarded by the resourceVersion', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config());
    const { limits } = service(fake);

    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 0, actor);

    expect(result.old).toBeNull();
    expect(result.new).toBe('0');
    expect(fake.state.requests.find((r) => r.method === 'PATCH')!.body).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '1' },
      { op: 'add', path: '/spec/limit', value: '0' },
    ]);
  });

  it('writes nothing and records nothing when the value is unchanged', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'));
    const { limits, recorder } = service(fake);

    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 10, actor);

    expect(result).toEqual({ target: 'ns/ppc', old: '10', new: '10', event: null });
    expect(fake.state.requests.map((r) => r.method)).toEqual(['GET']);
    expect(recorder.events).toEqual([]);
  });

  it("passes the API server's refusal on in its own words, and records nothing", async () => {
    const refusal =
      'peerpodconfigs.confidentialcontainers.org "ppc" is forbidden: User "non-admin" cannot patch resource "peerpodconfigs" in API group "confidentialcontainers.org" in the namespace "ns"';
    const fake = fakeApiServer(CONFIG_PATH, config('10'), { forbidden: refusal });
    const { limits, recorder } = service(fake);

    const failure = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 12, actor).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(ApiServerRefusedError);
    expect(failure).toMatchObject({ refusal: 'forbidden', code: 'forbidden', message: refusal });
    expect(recorder.events).toEqual([]);
  });

  it('answers a missing PeerPodConfig as not found', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'));
    const { limits } = service(fake);

    await expect(limits.changeLimit({ namespace: 'ns', name: 'other' }, 12, actor)).rejects.toMatchObject({
      refusal: 'not-found',
    });
  });

  it('refuses a limit above MAX_LIMIT before asking the API server, naming the field and the fix', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'));
    const { limits } = service(fake);

    const failure = await limits
      .changeLimit({ namespace: 'ns', name: 'ppc' }, 1001, actor)
      .catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(InvalidValueError);
    expect(failure).toMatchObject({ field: 'limit', code: 'invalid_request' });
    expect((failure as Error).message).toMatch(/limit 1001 is more than 1000.*enter a whole number from 0 to 1000/);
    expect(fake.state.requests).toEqual([]);
  });

  it('does not overwrite a value someone else changed after it was read: a conflict naming the new value', async () => {
    const fake = fakeApiServer(CONFIG_PATH, config('10'), {
      beforeFirstPatch: (stored) => ((stored.spec as Json).limit = '20'),
    });
    const { limits, recorder } = service(fake);

    const failure = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 12, actor).catch((err: unknown) => err);

    expect(failure).toMatchObject({ refusal: 'conflict', field: 'limit' });
    expect((failure as Error).message).toMatch(/changed while yours was being saved \(it was 10, it is now 20\)/);
    expect((fake.state.stored.spec as Json).limit).toBe('20');
    expect(recorder.events).toEqual([]);
  });
});

describe('changing a node override as the user', () => {
  const path = `/metadata/annotations/${pointerToken(OVERRIDE)}`;

  it('adds the annotation beside the others, escaping "/" in the JSON Pointer', async () => {
    const fake = fakeApiServer(NODE_PATH, node({ 'machine.openshift.io/machine': 'm-0' }));
    const { limits, recorder } = service(fake);

    const result = await limits.changeOverride('worker-0', 5, actor);

    expect(path).toBe('/metadata/annotations/peerpods.openshift.io~1vm-limit');
    expect(result).toMatchObject({ target: 'worker-0', old: null, new: '5' });
    expect((fake.state.stored.metadata as Json).annotations).toEqual({
      'machine.openshift.io/machine': 'm-0',
      [OVERRIDE]: '5',
    });
    expect(recorder.events[0]).toMatchObject({
      ref: { apiVersion: 'v1', kind: 'Node', name: 'worker-0', uid: 'uid-node' },
      reason: 'PeerPodOverrideChanged',
      message: 'test-admin changed the VM limit override of node worker-0: none → 5',
    });
  });

  it('creates the annotation map on a node with none', async () => {
    const fake = fakeApiServer(NODE_PATH, node());
    const { limits } = service(fake);

    await limits.changeOverride('worker-0', 3, actor);

    expect((fake.state.stored.metadata as Json).annotations).toEqual({ [OVERRIDE]: '3' });
  });

  it('replaces and removes an override, each after testing the value it replaces', async () => {
    const fake = fakeApiServer(NODE_PATH, node({ [OVERRIDE]: '4', other: 'x' }));
    const { limits, recorder } = service(fake);

    await limits.changeOverride('worker-0', 6, actor);
    const removed = await limits.changeOverride('worker-0', null, actor);

    const patches = fake.state.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
    expect(patches).toEqual([
      [
        { op: 'test', path, value: '4' },
        { op: 'replace', path, value: '6' },
      ],
      [
        { op: 'test', path, value: '6' },
        { op: 'remove', path },
      ],
    ]);
    expect(removed).toMatchObject({ old: '6', new: null });
    expect((fake.state.stored.metadata as Json).annotations).toEqual({ other: 'x' });
    expect(recorder.events.map((e) => e.message)).toEqual([
      'test-admin changed the VM limit override of node worker-0: 4 → 6',
      'test-admin changed the VM limit override of node worker-0: 6 → none',
    ]);
  });

  it('removing an override that is not there changes and records nothing', async () => {
    const fake = fakeApiServer(NODE_PATH, node({ other: 'x' }));
    const { limits, recorder } = service(fake);

    expect(await limits.changeOverride('worker-0', null, actor)).toMatchObject({ old: null, new: null, event: null });
    expect(fake.state.requests.map((r) => r.method)).toEqual(['GET']);
    expect(recorder.events).toEqual([]);
  });

  it('retries when only the node moved on (there was no override to test) and the override is still absent', async () => {
    const fake = fakeApiServer(NODE_PATH, node({ other: 'x' }), {
      beforeFirstPatch: (stored) => ((stored.metadata as Json).labels = { heartbeat: 'yes' }),
    });
    const { limits, recorder } = service(fake);

    const result = await limits.changeOverride('worker-0', 2, actor);

    expect(result).toMatchObject({ old: null, new: '2' });
    expect(fake.state.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET', 'PATCH']);
    expect(recorder.events).toHaveLength(1);
  });

  it('refuses an override above MAX_LIMIT naming the field "override"', async () => {
    const fake = fakeApiServer(NODE_PATH, node());
    const { limits } = service(fake);

    await expect(limits.changeOverride('worker-0', 5000, actor)).rejects.toMatchObject({ field: 'override' });
  });
});

describe('the patch', () => {
  const location = { pointer: '/spec/limit', parent: '/spec', key: 'limit' };

  it('tests an existing value as found, also one that is not a string', () => {
    expect(changePatch(location, { raw: 7, text: '7', resourceVersion: '9', hasParent: true }, '8')).toEqual([
      { op: 'test', path: '/spec/limit', value: 7 },
      { op: 'replace', path: '/spec/limit', value: '8' },
    ]);
  });

  it('escapes "~" and "/" in JSON Pointer tokens', () => {
    expect(pointerToken('a~b/c')).toBe('a~0b~1c');
  });
});

describe('keeping PEERPODS_LIMIT_PER_NODE in step', () => {
  const CM_PATH = '/api/v1/namespaces/ns/configmaps/peer-pods-cm';
  const configMap = (data?: Record<string, string>): Json => ({
    metadata: { name: 'peer-pods-cm', namespace: 'ns', uid: 'uid-cm' },
    ...(data ? { data } : {}),
  });

  /** The PeerPodConfig and its ConfigMap, each at its own path, behind one client. */
  function cluster(configMapObject: Json, options: FakeOptions = {}) {
    const ppc = fakeApiServer(CONFIG_PATH, config('10'));
    const cm = fakeApiServer(CM_PATH, configMapObject, options);
    const client = {
      asUser: (token: BearerToken): KubeRequester => ({
        request: <T>(req: KubeRequest) => (req.path === CM_PATH ? cm : ppc).client.asUser(token).request<T>(req),
      }),
    };
    return { ppc, cm, client };
  }

  it('writes the limit, then the key with the same value, as the user, each recorded', async () => {
    const { ppc, cm, client } = cluster(configMap({ CLOUD_PROVIDER: 'aws', PEERPODS_LIMIT_PER_NODE: '10' }));
    const recorder = recordingRecorder();
    const limits = new LimitService({ client, recorder, logger: createLogger('silent') });

    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 4, actor, { syncConfigMap: true });

    expect(result).toMatchObject({
      old: '10',
      new: '4',
      configMap: { namespace: 'ns', name: 'peer-pods-cm', old: '10', new: '4' },
    });
    expect((ppc.state.stored.spec as Json).limit).toBe('4');
    expect(cm.state.stored.data).toEqual({ CLOUD_PROVIDER: 'aws', PEERPODS_LIMIT_PER_NODE: '4' });
    expect(cm.state.tokens.every((token) => token === 'secret-token')).toBe(true);
    expect(cm.state.requests.find((r) => r.method === 'PATCH')!.body).toEqual([
      { op: 'test', path: '/data/PEERPODS_LIMIT_PER_NODE', value: '10' },
      { op: 'replace', path: '/data/PEERPODS_LIMIT_PER_NODE', value: '4' },
    ]);
    expect(recorder.events.map((e) => e.reason)).toEqual(['PeerPodLimitChanged', 'AdaptorLimitChanged']);
    expect(recorder.events[1]).toMatchObject({
      ref: { kind: 'PeerPodConfig', name: 'ppc', namespace: 'ns' },
      message: 'test-admin changed PEERPODS_LIMIT_PER_NODE in ConfigMap ns/peer-pods-cm: 10 → 4',
    });
  });

  it('adds the key to a ConfigMap without it (and a data map to one without any)', async () => {
    const { cm, client } = cluster(configMap());
    const limits = new LimitService({ client, recorder: recordingRecorder(), logger: createLogger('silent') });
    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 12, actor, { syncConfigMap: true });
    expect(result.configMap).toEqual({ namespace: 'ns', name: 'peer-pods-cm', old: null, new: '12' });
    expect(cm.state.stored.data).toEqual({ PEERPODS_LIMIT_PER_NODE: '12' });
  });

  it('without the option leaves the ConfigMap alone', async () => {
    const { cm, client } = cluster(configMap({ PEERPODS_LIMIT_PER_NODE: '10' }));
    const limits = new LimitService({ client, recorder: recordingRecorder(), logger: createLogger('silent') });
    const result = await limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 4, actor);
    expect(result.configMap).toBeUndefined();
    expect(cm.state.requests).toEqual([]);
  });

  it('a refused ConfigMap write says the limit was saved and the key was not, naming the field', async () => {
    const { ppc, client } = cluster(configMap({ PEERPODS_LIMIT_PER_NODE: '10' }), {
      forbidden: 'configmaps "peer-pods-cm" is forbidden: User "test-admin" cannot patch resource "configmaps"',
    });
    const limits = new LimitService({ client, recorder: recordingRecorder(), logger: createLogger('silent') });
    const attempt = limits.changeLimit({ namespace: 'ns', name: 'ppc' }, 4, actor, { syncConfigMap: true });
    await expect(attempt).rejects.toBeInstanceOf(ApiServerRefusedError);
    await expect(attempt).rejects.toMatchObject({
      field: 'syncConfigMap',
      message: expect.stringMatching(
        /^The limit was saved \(10 → 4\), but PEERPODS_LIMIT_PER_NODE in ConfigMap ns\/peer-pods-cm was not: /,
      ),
    });
    expect((ppc.state.stored.spec as Json).limit).toBe('4');
  });
});
