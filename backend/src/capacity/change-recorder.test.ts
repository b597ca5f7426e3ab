// Limit and override changes made outside the console: who made them (managedFields), and that
// only the leader records them, once, and never the console's own.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.ts';
import { limitChangeOf } from './change-event.ts';
import { attributeChange, ChangeRecorder, preciseTime, UNKNOWN_MANAGER } from './change-recorder.ts';
import {
  fieldOwnersOf,
  nodeTransform,
  peerPodConfigTransform,
  type NodeView,
  type PeerPodConfigView,
} from './objects.ts';

const OVERRIDE = 'peerpods.openshift.io/vm-limit';

const managed = (manager: string, time: string, fieldsV1: object, subresource?: string) => ({
  manager,
  operation: 'Update',
  apiVersion: 'v1',
  time,
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...(subresource ? { subresource } : {}),
});
const ownsOverride = { 'f:metadata': { 'f:annotations': { [`f:${OVERRIDE}`]: {} } } };
const ownsLimit = { 'f:spec': { 'f:limit': {} } };

function nodeWith(override: string | undefined, managedFields: unknown[], resourceVersion = '5'): NodeView {
  return nodeTransform('kata.peerpods.io/vm')({
    metadata: {
      name: 'worker-0',
      uid: 'uid-0',
      resourceVersion,
      annotations: override === undefined ? {} : { [OVERRIDE]: override },
      managedFields,
    },
  } as never);
}

function configWith(limit: string | undefined, managedFields: unknown[], resourceVersion = '5'): PeerPodConfigView {
  return peerPodConfigTransform({
    metadata: { name: 'ppc', namespace: 'ns', uid: 'uid-ppc', resourceVersion, managedFields },
    spec: limit === undefined ? {} : { limit },
  } as never);
}

describe('who owns a field', () => {
  it('is read from managedFields, newest first, never from the status subresource', () => {
    const fields = [
      managed('old-tool', '2025-01-01T00:00:00Z', ownsLimit),
      managed('kubectl-patch', '2025-01-02T00:00:00Z', ownsLimit),
      managed('peer-pods-console', '2025-01-03T00:00:00Z', ownsLimit, 'status'),
    ];
    expect(fieldOwnersOf(fields, ['f:spec', 'f:limit'])).toEqual([
      { manager: 'kubectl-patch', time: '2025-01-02T00:00:00Z' },
      { manager: 'old-tool', time: '2025-01-01T00:00:00Z' },
    ]);
    expect(fieldOwnersOf(fields, ['f:spec', 'f:nodeSelector'])).toBeUndefined();
    expect(fieldOwnersOf('nonsense', ['f:spec'])).toBeUndefined();
  });

  it('is kept by the node and PeerPodConfig transforms', () => {
    const when = '2025-01-02T00:00:00Z';
    expect(nodeWith('4', [managed('kubectl-annotate', when, ownsOverride)]).overrideOwners).toEqual([
      { manager: 'kubectl-annotate', time: when },
    ]);
    expect(configWith('4', [managed('kubectl-patch', when, ownsLimit)]).limitOwners).toEqual([
      { manager: 'kubectl-patch', time: when },
    ]);
  });
});

describe('attributing a change', () => {
  const owner = (manager: string) => [{ manager, time: '2025-01-02T00:00:00Z' }];

  it('an unchanged value is nobody’s change', () => {
    expect(attributeChange({ old: '4', new: '4', owners: owner('kubectl-patch') })).toEqual({ by: 'nobody' });
  });

  it("the console's writes are the console's (recorded by the API call, naming the user)", () => {
    expect(attributeChange({ old: '4', new: '5', owners: owner('peer-pods-console') })).toEqual({ by: 'console' });
  });

  it('any other manager is outside the console, with the time of its write', () => {
    expect(attributeChange({ old: '4', new: '5', owners: owner('kubectl-patch') })).toEqual({
      by: 'outside',
      manager: 'kubectl-patch',
      at: '2025-01-02T00:00:00Z',
    });
  });

  it('a removal leaves no owner to name', () => {
    expect(attributeChange({ old: '4', new: null, owners: undefined })).toEqual({ by: 'unknown' });
  });

  it('is dated to the millisecond it was seen when seen promptly, else to its write (whole seconds)', () => {
    const seen = new Date('2025-01-02T00:00:01.250Z');
    expect(preciseTime('2025-01-02T00:00:00Z', seen)).toBe('2025-01-02T00:00:01.250Z');
    expect(preciseTime('2025-01-01T23:00:00Z', seen)).toBe('2025-01-01T23:00:00Z');
    expect(preciseTime('', seen)).toBe('2025-01-02T00:00:01.250Z');
  });
});

function recorderFor(options: { leader?: boolean; consoleEvents?: unknown[]; listFails?: boolean } = {}) {
  const events: { ref: unknown; reason: string; message: string; annotations?: Record<string, string> }[] = [];
  const listed: string[] = [];
  const changes = new ChangeRecorder({
    recorder: {
      event: (ref, _type, reason, message, extra = {}) => {
        events.push({ ref, reason, message, annotations: extra.annotations });
        return { namespace: 'x', name: 'y' };
      },
    },
    isLeader: () => options.leader ?? true,
    logger: createLogger('silent'),
    overrideAnnotation: OVERRIDE,
    listEvents: async (namespace, reason, name) => {
      listed.push(`${namespace}/${reason}/${name}`);
      if (options.listFails) throw new Error('events is forbidden');
      return (options.consoleEvents ?? []) as never;
    },
    removalWaitsMs: [0, 0],
    now: () => new Date('2025-01-05T00:00:00.000Z'),
  });
  return { changes, events, listed };
}

describe('recording changes made outside the console', () => {
  const t1 = '2025-01-01T00:00:00Z';
  const t2 = '2025-01-02T00:00:00Z';

  it('a limit patched by kubectl: an Event on the PeerPodConfig naming the manager, old → new', () => {
    const { changes, events } = recorderFor();
    const before = configWith('10', [managed('peer-pods-console', t1, ownsLimit)], '5');
    const after = configWith('12', [managed('kubectl-patch', t2, ownsLimit)], '6');

    changes.configHandlers().update!(before, after);

    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toBe('PeerPodLimitChanged');
    expect(events[0]!.message).toBe(
      'outside the console: kubectl-patch changed the VM limit of PeerPodConfig ns/ppc: 10 → 12',
    );
    expect(events[0]!.ref).toMatchObject({ kind: 'PeerPodConfig', namespace: 'ns', name: 'ppc', uid: 'uid-ppc' });
    expect(limitChangeOf(events[0]!.annotations)).toEqual({
      kind: 'limit',
      actor: 'kubectl-patch',
      via: 'outside',
      target: 'ns/ppc',
      old: '10',
      new: '12',
      at: t2,
      resourceVersion: '6',
    });
  });

  it('an override annotated by oc: an Event on the Node', () => {
    const { changes, events } = recorderFor();
    changes.nodeHandlers().update!(
      nodeWith(undefined, []),
      nodeWith('3', [managed('kubectl-annotate', t2, ownsOverride)]),
    );

    expect(events.map((e) => e.message)).toEqual([
      'outside the console: kubectl-annotate changed the VM limit override of node worker-0: none → 3',
    ]);
    expect(events[0]!.ref).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'worker-0', uid: 'uid-0' });
  });

  it("records nothing for the console's own writes, nor for updates that leave the value alone", () => {
    const { changes, events } = recorderFor();
    changes.configHandlers().update!(
      configWith('10', []),
      configWith('12', [managed('peer-pods-console', t2, ownsLimit)]),
    );
    changes.nodeHandlers().update!(
      nodeWith('3', [managed('kubectl-annotate', t1, ownsOverride)]),
      nodeWith('3', [managed('kubectl-annotate', t1, ownsOverride), managed('kubelet', t2, {})]),
    );
    expect(events).toEqual([]);
  });

  it('records nothing on a replica that is not the leader', () => {
    const { changes, events } = recorderFor({ leader: false });
    changes.configHandlers().update!(configWith('10', []), configWith('12', [managed('kubectl-patch', t2, ownsLimit)]));
    expect(events).toEqual([]);
  });

  it("a removal the console made is told apart by the console's Event of the same resourceVersion", async () => {
    const consoleEvent = {
      metadata: {
        annotations: {
          'peerpods.openshift.io/change': JSON.stringify({
            kind: 'override',
            actor: 'test-admin',
            via: 'console',
            target: 'worker-0',
            old: '3',
            new: null,
            at: t2,
            resourceVersion: '9',
          }),
        },
      },
    };
    const { changes, events, listed } = recorderFor({ consoleEvents: [consoleEvent] });

    changes.nodeHandlers().update!(nodeWith('3', [], '8'), nodeWith(undefined, [], '9'));
    while (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    // Had it not found the Event, it would list again after its next (zero) wait, then record.
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));

    expect(listed).toEqual(['default/PeerPodOverrideChanged/worker-0']);
    expect(events).toEqual([]);
  });

  it('a removal without a console Event is recorded as outside the console, by an unknown manager', async () => {
    const { changes, events, listed } = recorderFor();

    changes.nodeHandlers().update!(nodeWith('3', [], '8'), nodeWith(undefined, [], '9'));
    while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));

    expect(listed).toHaveLength(2);
    expect(events[0]!.message).toBe(
      `outside the console: ${UNKNOWN_MANAGER} changed the VM limit override of node worker-0: 3 → none`,
    );
  });

  it('a removal whose Events cannot be read is not recorded: better nothing than a wrong actor', async () => {
    const { changes, events, listed } = recorderFor({ listFails: true });

    changes.nodeHandlers().update!(nodeWith('3', [], '8'), nodeWith(undefined, [], '9'));
    while (listed.length < 2) await new Promise((resolve) => setTimeout(resolve, 0));
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));

    expect(events).toEqual([]);
  });
});
