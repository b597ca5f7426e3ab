import { capacitySummary, nodeCapacity, unrelatedNodeCapacity } from '../../../../test/capacityFixtures';
import { capacityRoom, knownQuota, refusedQuota, roomWith64FreeVcpus } from '../../../../test/roomFixtures';
import { adaptorAgrees, plannedVerdict, quotaGapOf, sizeGapOf } from './limitPromise';

const CONFIG = { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' };

describe('the promise of a planned change', () => {
  const summary = capacitySummary([
    nodeCapacity('worker-a', { used: 4 }),
    nodeCapacity('worker-b', { source: 'override', override: 3, desired: 3 }),
    unrelatedNodeCapacity('master-0'),
  ]);

  it('gives a new limit to the nodes without an override only', () => {
    const verdict = plannedVerdict(summary, roomWith64FreeVcpus({ usedVms: 4 }), {
      kind: 'limit',
      config: CONFIG,
      limit: 20,
    });

    expect(verdict).toMatchObject({ promisedVms: 23, promisedVcpus: 46, stillPromisedVms: 19, moreVms: 32 });
    expect(verdict.exceeds).toBe(false);
  });

  it("puts a node whose override is removed back on its PeerPodConfig's limit", () => {
    const verdict = plannedVerdict(summary, capacityRoom(), { kind: 'override', node: 'worker-b', override: null });

    expect(verdict.promisedVms).toBe(20);
  });

  it('gives a node no PeerPodConfig selects its override, and nothing once it is removed', () => {
    expect(
      plannedVerdict(summary, capacityRoom(), { kind: 'override', node: 'master-0', override: 5 }).promisedVms,
    ).toBe(18);
    expect(
      plannedVerdict(summary, capacityRoom(), { kind: 'override', node: 'master-0', override: null }).promisedVms,
    ).toBe(13);
  });

  it('counts the VMs alone, with the running ones from the capacity rows, when the room could not be read', () => {
    const verdict = plannedVerdict(summary, undefined, { kind: 'limit', config: CONFIG, limit: 10 });

    expect(verdict).toMatchObject({ promisedVms: 13, stillPromisedVms: 9, promisedVcpus: null, exceeds: null });
  });
});

describe('why the room is not known', () => {
  it('names a room the backend could not read at all first', () => {
    const room = capacityRoom({ error: { code: 'CloudUnreachable', message: 'ec2 timed out' } });

    expect(sizeGapOf(room)).toEqual({ kind: 'room-error', message: 'ec2 timed out' });
    expect(quotaGapOf(room)).toEqual({ kind: 'room-error', message: 'ec2 timed out' });
  });

  it('names the size the cloud did not describe', () => {
    expect(sizeGapOf(capacityRoom({ vcpusPerVm: null }))).toEqual({ kind: 'size-unknown', size: 'm6a.large' });
  });

  it('prefers a quota the credentials may not read, with the permission they need, over one not read', () => {
    const unread = { ...knownQuota(0, 0), state: 'unknown' as const, free: null, detail: 'throttled' };

    expect(quotaGapOf(capacityRoom({ quotas: [unread, refusedQuota] }))).toEqual({
      kind: 'not-permitted',
      quota: refusedQuota.name,
      permission: 'servicequotas:GetServiceQuota',
    });
    expect(quotaGapOf(capacityRoom({ quotas: [unread] }))).toEqual({
      kind: 'quota-unknown',
      quota: unread.name,
      detail: 'throttled',
    });
    expect(quotaGapOf(capacityRoom({ quotas: [] }))).toEqual({ kind: 'no-quota', size: 'm6a.large' });
  });
});

describe('whether the adaptor applies the same limit', () => {
  const adaptor = (text: string | null, value: number | null) => ({
    namespace: 'ns',
    name: 'peer-pods-cm',
    text,
    value,
  });

  it("takes the adaptor's default of 10 when PEERPODS_LIMIT_PER_NODE is unset", () => {
    expect(adaptorAgrees(adaptor(null, null), 10)).toBe(true);
    expect(adaptorAgrees(adaptor(null, null), 12)).toBe(false);
  });

  it('compares the value that is set', () => {
    expect(adaptorAgrees(adaptor('12', 12), 12)).toBe(true);
    expect(adaptorAgrees(adaptor('12', 12), 10)).toBe(false);
  });

  it('never agrees with a value that is not a limit', () => {
    expect(adaptorAgrees(adaptor('ten', null), 10)).toBe(false);
  });
});
