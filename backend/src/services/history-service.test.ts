// The History read back from Events: the limit and override changes from their JSON annotation,
// port rules and cleanups from the cloud service's sentences, newest first, bounded.
import { describe, expect, it } from 'vitest';
import { changeEvent, changeMessage, limitChangeOf, type LimitChange } from '../capacity/change-event.ts';
import { BearerToken, KubeApiError, type KubeRequest, type KubeRequester } from '../kube/client.ts';
import { cloudIdGroups, EventHistoryService, historyEntryOf, type CoreEvent } from './history-service.ts';

const COMPONENT = 'peer-pods-console';

const limitChange = (fields: Partial<LimitChange> = {}): LimitChange => ({
  kind: 'limit',
  actor: 'test-admin',
  via: 'console',
  target: 'ns/ppc',
  old: '10',
  new: '12',
  at: '2025-01-02T03:04:05.678Z',
  resourceVersion: '42',
  ...fields,
});

/** The Event the recorder writes for a change. */
function eventOf(change: LimitChange, fields: Partial<CoreEvent> = {}): CoreEvent {
  const { reason, message, annotations } = changeEvent(change, { name: 'ppc', namespace: 'ns' });
  return {
    metadata: { name: 'ppc.1', annotations },
    reason,
    message,
    lastTimestamp: '2025-01-02T03:04:06Z',
    source: { component: COMPONENT },
    reportingComponent: COMPONENT,
    ...fields,
  };
}

const cloudEvent = (reason: string, message: string, lastTimestamp: string): CoreEvent => ({
  metadata: { name: `ppc.${reason}` },
  reason,
  message,
  lastTimestamp,
  source: { component: COMPONENT },
  reportingComponent: COMPONENT,
});

describe('limit and override change Events', () => {
  it('say old → new in a sentence, and "outside the console" with the field manager', () => {
    expect(changeMessage(limitChange())).toBe('test-admin changed the VM limit of PeerPodConfig ns/ppc: 10 → 12');
    expect(changeMessage(limitChange({ via: 'outside', actor: 'kubectl-patch', old: null }))).toBe(
      'outside the console: kubectl-patch changed the VM limit of PeerPodConfig ns/ppc: none → 12',
    );
    expect(changeMessage(limitChange({ kind: 'override', target: 'worker-0', new: null }))).toBe(
      'test-admin changed the VM limit override of node worker-0: 10 → none',
    );
  });

  it('round-trip through the annotation, whatever the username holds', () => {
    const change = limitChange({ actor: 'CN=Jane: "admin" → ops' });
    expect(limitChangeOf(changeEvent(change, { name: 'ppc' }).annotations)).toEqual(change);
  });

  it('are not read from an annotation of another shape', () => {
    const key = 'peerpods.openshift.io/change';
    expect(limitChangeOf(undefined)).toBeNull();
    expect(limitChangeOf({ [key]: 'not json' })).toBeNull();
    expect(limitChangeOf({ [key]: JSON.stringify({ ...limitChange(), kind: 'port-rules' }) })).toBeNull();
    expect(limitChangeOf({ [key]: JSON.stringify({ ...limitChange(), old: 10 }) })).toBeNull();
    expect(limitChangeOf({ [key]: JSON.stringify({ ...limitChange(), actor: undefined }) })).toBeNull();
  });

  it('become History entries with actor, via, target, old and new, at the time of the change', () => {
    const outside = limitChange({ via: 'outside', actor: 'kubectl-patch', at: '2025-01-02T03:00:00Z' });
    expect(historyEntryOf(eventOf(outside), COMPONENT)).toEqual({
      at: '2025-01-02T03:00:00Z',
      kind: 'limit',
      actor: 'kubectl-patch',
      via: 'outside',
      target: 'ns/ppc',
      old: '10',
      new: '12',
      message: 'outside the console: kubectl-patch changed the VM limit of PeerPodConfig ns/ppc: 10 → 12',
    });
  });

  it('count only when the reason matches the recorded kind and the backend recorded them', () => {
    const event = eventOf(limitChange());
    expect(historyEntryOf({ ...event, reason: 'PeerPodOverrideChanged' }, COMPONENT)).toBeNull();
    expect(historyEntryOf({ ...event, reason: 'CapacityAdvertised' }, COMPONENT)).toBeNull();
    expect(historyEntryOf({ ...event, reportingComponent: 'someone', source: {} }, COMPONENT)).toBeNull();
    expect(historyEntryOf({ ...event, metadata: {} }, COMPONENT)).toBeNull();
  });
});

describe("the cloud service's Events", () => {
  it('a port rule: the user, the security group it went into, no values', () => {
    const message = 'alice: Allowed TCP 15150 from sg-0a into sg-0a. [sg-0a, sgr-0b]';
    expect(historyEntryOf(cloudEvent('PortRuleChanged', message, '2025-01-02T01:00:00Z'), COMPONENT)).toEqual({
      at: '2025-01-02T01:00:00Z',
      kind: 'port-rules',
      actor: 'alice',
      via: 'console',
      target: 'sg-0a',
      old: null,
      new: null,
      message,
    });
  });

  it('a cleanup: the user and every VM deleted (the first id of each; Azure lists disk and NIC after it)', () => {
    const message =
      'system:serviceaccount:ops:bot: deleted 2 peer-pod VM(s): Deleted VM podvm-a (with disk and NIC). [/subs/vm-a, /subs/disk-a, /subs/nic-a]; Deleted VM podvm-b. [/subs/vm-b]';
    expect(historyEntryOf(cloudEvent('PeerPodVmDeleted', message, '2025-01-02T02:00:00Z'), COMPONENT)).toMatchObject({
      kind: 'cleanup',
      actor: 'system:serviceaccount:ops:bot',
      target: '/subs/vm-a, /subs/vm-b',
    });
  });

  it('failures and refusals are not changes', () => {
    const failed = cloudEvent('PortRuleChangeFailed', 'alice: could not … [sg-0a]', '2025-01-02T01:00:00Z');
    expect(historyEntryOf(failed, COMPONENT)).toBeNull();
    expect(historyEntryOf(cloudEvent('PeerPodVmDeleteRefused', 'alice: refused', ''), COMPONENT)).toBeNull();
  });

  it('cloud ids are read from each bracketed group', () => {
    expect(cloudIdGroups('a [x, y]; b [z] … and 3 more')).toEqual([['x', 'y'], ['z']]);
    expect(cloudIdGroups('no ids')).toEqual([]);
  });
});

describe('the History service', () => {
  function fakeEvents(byNamespaceAndReason: Record<string, CoreEvent[]>, options: { forbidden?: string } = {}) {
    const calls: { req: KubeRequest; token: string }[] = [];
    const client = {
      asUser: (token: BearerToken): KubeRequester => ({
        request: async <T>(req: KubeRequest): Promise<T> => {
          calls.push({ req, token: token.reveal() });
          if (options.forbidden) {
            throw new KubeApiError(403, 'Forbidden', 'x', req.method, req.path, options.forbidden);
          }
          const namespace = /namespaces\/([^/]+)\/events/.exec(req.path)![1];
          const reason = String(req.query?.fieldSelector).replace('reason=', '');
          return { items: byNamespaceAndReason[`${namespace}/${reason}`] ?? [] } as T;
        },
      }),
    };
    return { client, calls };
  }

  it("reads each kind's Events where they are, with the reader's token, newest first", async () => {
    const override = eventOf(limitChange({ kind: 'override', target: 'worker-0', at: '2025-01-02T05:00:00Z' }));
    const fake = fakeEvents({
      'ns/PeerPodLimitChanged': [eventOf(limitChange({ at: '2025-01-02T03:00:00Z' }))],
      'default/PeerPodOverrideChanged': [override],
      'ns/PortRuleChanged': [cloudEvent('PortRuleChanged', 'alice: Allowed x. [sg-1]', '2025-01-02T04:00:00Z')],
      'ns/PeerPodVmDeleted': [
        cloudEvent('PeerPodVmDeleted', 'bob: deleted 1 peer-pod VM(s): x [i-1]', '2025-01-02T01:00:00Z'),
      ],
    });
    const history = new EventHistoryService({
      client: fake.client,
      peerPodConfigNamespace: 'ns',
      component: COMPONENT,
    });

    const { entries } = await history.recent(new BearerToken('reader-token'));

    expect(entries.map((e) => [e.kind, e.at])).toEqual([
      ['override', '2025-01-02T05:00:00Z'],
      ['port-rules', '2025-01-02T04:00:00Z'],
      ['limit', '2025-01-02T03:00:00Z'],
      ['cleanup', '2025-01-02T01:00:00Z'],
    ]);
    expect(fake.calls.map((c) => [c.req.path, c.req.query?.fieldSelector])).toEqual([
      ['/api/v1/namespaces/ns/events', 'reason=PeerPodLimitChanged'],
      ['/api/v1/namespaces/default/events', 'reason=PeerPodOverrideChanged'],
      ['/api/v1/namespaces/ns/events', 'reason=PortRuleChanged'],
      ['/api/v1/namespaces/ns/events', 'reason=PeerPodVmDeleted'],
    ]);
    expect(new Set(fake.calls.map((c) => c.token))).toEqual(new Set(['reader-token']));
  });

  it('answers the most recent entries only', async () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      eventOf(limitChange({ at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), resourceVersion: String(i) })),
    );
    const fake = fakeEvents({ 'ns/PeerPodLimitChanged': many });
    const history = new EventHistoryService({
      client: fake.client,
      peerPodConfigNamespace: 'ns',
      component: COMPONENT,
    });

    const { entries } = await history.recent(new BearerToken('t'));

    expect(entries).toHaveLength(100);
    expect(entries[0]!.at).toBe('2025-01-01T02:29:00.000Z');
  });

  it("passes the API server's refusal to list Events on", async () => {
    const refusal = 'events is forbidden: User "non-admin" cannot list resource "events" in the namespace "ns"';
    const fake = fakeEvents({}, { forbidden: refusal });
    const history = new EventHistoryService({
      client: fake.client,
      peerPodConfigNamespace: 'ns',
      component: COMPONENT,
    });

    await expect(history.recent(new BearerToken('t'))).rejects.toMatchObject({
      refusal: 'forbidden',
      message: refusal,
    });
  });
});
