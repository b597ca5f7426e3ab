// The generic Kubernetes plumbing against a real API server: informer, leader election, events.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../../hack/controlplane/controlplane.ts';
import { createWorkerNodes } from '../../../hack/controlplane/fixtures.ts';
import { eventsAbout, waitFor } from './test/cluster.ts';
import { KubeClient } from './client.ts';
import { EventRecorder } from './events.ts';
import { apiListerWatcher, Informer, type ListerWatcher, type RawObject, type StoredObject } from './informer.ts';
import { LeaderElector } from './leader-election.ts';

const logger = pino({ level: 'silent' });
const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

let cp: ControlPlane;
let kc: KubeConfig;
let client: KubeClient;
let core: CoreV1Api;

beforeAll(async () => {
  cp = await startControlPlane({ scheduler: false });
  kc = cp.kubeConfig();
  client = await KubeClient.create(kc);
  core = kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  client?.close();
  await cp?.stop();
});

interface SlimNode extends StoredObject {
  zone?: string;
}

const slimNode = (raw: RawObject): SlimNode => ({
  metadata: { name: raw.metadata!.name!, resourceVersion: raw.metadata!.resourceVersion! },
  zone: (raw.metadata!.labels as Record<string, string> | undefined)?.zone,
});

/** Counts lists, to see the informer list again after the API server comes back. */
function counting(inner: ListerWatcher) {
  const counts = { lists: 0, watches: 0 };
  const wrapped: ListerWatcher = {
    listPage: (o) => {
      if (!o.continueToken) counts.lists += 1;
      return inner.listPage(o);
    },
    watch: (o, e, d) => {
      counts.watches += 1;
      return inner.watch(o, e, d);
    },
  };
  return { counts, wrapped };
}

describe('Informer on a real API server', () => {
  it('lists in pages, watches, and keeps only the selected and transformed nodes', async () => {
    await createWorkerNodes(kc, { count: 5, namePrefix: 'inf-', labels: { 'informer-test': 'yes', zone: 'a' } });
    await createWorkerNodes(kc, { count: 1, namePrefix: 'not-selected-' });
    const { counts, wrapped } = counting(apiListerWatcher(client, NODES, { labelSelector: 'informer-test=yes' }));
    const informer = new Informer<SlimNode>({
      name: 'nodes',
      listerWatcher: wrapped,
      logger,
      pageSize: 2,
      transform: slimNode,
    });
    const seen: string[] = [];
    informer.addHandlers({
      add: (n) => seen.push(`add ${n.metadata.name}`),
      update: (a, b) => a.zone !== b.zone && seen.push(`zone ${b.metadata.name} ${b.zone}`),
      delete: (n) => seen.push(`delete ${n.metadata.name}`),
    });
    informer.start();
    try {
      await informer.synced;
      expect(
        informer
          .list()
          .map((n) => n.metadata.name)
          .sort(),
      ).toEqual(['inf-0', 'inf-1', 'inf-2', 'inf-3', 'inf-4']);
      expect(Object.keys(informer.getByName('inf-0')!)).toEqual(['metadata', 'zone']);
      expect(counts.lists).toBe(1);

      await core.patchNode(
        { name: 'inf-1', body: { metadata: { labels: { zone: 'b' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNode({ name: 'inf-2' });
      await createWorkerNodes(kc, { count: 1, namePrefix: 'inf-', startIndex: 5, labels: { 'informer-test': 'yes' } });
      await waitFor(
        'watch events',
        () => seen.includes('add inf-5') && seen.includes('delete inf-2') && seen.includes('zone inf-1 b'),
      );
      expect(informer.getByName('inf-2')).toBeUndefined();
      expect(informer.getByName('inf-1')?.zone).toBe('b');
    } finally {
      await informer.stop();
    }
  });

  it('recovers when the API server restarts and sees changes made afterwards', async () => {
    const { counts, wrapped } = counting(apiListerWatcher(client, NODES, { labelSelector: 'informer-test=yes' }));
    const informer = new Informer<SlimNode>({
      name: 'nodes',
      listerWatcher: wrapped,
      logger,
      transform: slimNode,
      backoff: { initialMs: 200, maxMs: 2000 },
    });
    informer.start();
    try {
      await informer.synced;
      const watchesBefore = counts.watches;
      await cp.restartApiServer();
      await createWorkerNodes(kc, { count: 1, namePrefix: 'inf-after-restart-', labels: { 'informer-test': 'yes' } });
      await waitFor('the node created after the restart', () => informer.getByName('inf-after-restart-0'), {
        timeoutMs: 60_000,
      });
      expect(counts.watches).toBeGreaterThan(watchesBefore);
    } finally {
      await informer.stop();
    }
  }, 120_000);
});

describe('LeaderElector', () => {
  const timings = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 };

  function candidate(identity: string, lease: string) {
    const state = { leading: false, started: 0, stopped: 0 };
    const elector = new LeaderElector({
      client,
      logger,
      namespace: 'default',
      name: lease,
      identity,
      ...timings,
      onStartedLeading: () => {
        state.leading = true;
        state.started += 1;
      },
      onStoppedLeading: () => {
        state.leading = false;
        state.stopped += 1;
      },
    });
    return { elector, state };
  }

  async function holder(lease: string): Promise<string | undefined> {
    const l = await client.request<{ spec: { holderIdentity?: string } }>({
      method: 'GET',
      path: `/apis/coordination.k8s.io/v1/namespaces/default/leases/${lease}`,
    });
    return l.spec.holderIdentity || undefined;
  }

  it('lets exactly one of two candidates lead, and the other take over when it dies', async () => {
    const a = candidate('replica-a', 'le-abrupt');
    const b = candidate('replica-b', 'le-abrupt');
    a.elector.start();
    b.elector.start();
    try {
      const leader = await waitFor('a leader', () => (a.state.leading ? a : b.state.leading ? b : undefined));
      const follower = leader === a ? b : a;
      // Watch both for a while: never two leaders at once.
      for (let i = 0; i < 20; i += 1) {
        expect(Number(a.elector.isLeader()) + Number(b.elector.isLeader())).toBeLessThanOrEqual(1);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await holder('le-abrupt')).toBe(leader.elector.identity);
      expect(follower.state.started).toBe(0);

      await leader.elector.stop({ release: false });
      await waitFor('the follower to take over', () => follower.state.leading, { timeoutMs: 20_000 });
      expect(await holder('le-abrupt')).toBe(follower.elector.identity);
    } finally {
      await a.elector.stop();
      await b.elector.stop();
    }
  }, 60_000);

  it('releases the lease on graceful stop so that another candidate leads at its next retry', async () => {
    const a = candidate('replica-a', 'le-release');
    a.elector.start();
    await waitFor('a to lead', () => a.state.leading);
    const b = candidate('replica-b', 'le-release');
    b.elector.start();
    try {
      await a.elector.stop();
      expect(a.state.stopped).toBe(1);
      // Well before the 4 s lease could have expired on its own.
      await waitFor('b to lead', () => b.state.leading, { timeoutMs: timings.leaseDurationMs - 1000 });
      expect(await holder('le-release')).toBe('replica-b');
    } finally {
      await b.elector.stop();
    }
  }, 30_000);

  it('refuses timings under which two leaders could overlap', () => {
    expect(
      () =>
        new LeaderElector({
          client,
          logger,
          namespace: 'default',
          name: 'x',
          identity: 'x',
          leaseDurationMs: 5000,
          renewDeadlineMs: 5000,
          onStartedLeading: () => {},
          onStoppedLeading: () => {},
        }),
    ).toThrow(/leaseDuration must be greater than renewDeadline/);
  });
});

describe('EventRecorder', () => {
  it('aggregates repeats into one Event with a count, across recorder instances', async () => {
    await createWorkerNodes(kc, { count: 1, namePrefix: 'events-' });
    const ref = { apiVersion: 'v1', kind: 'Node', name: 'events-0' };
    const first = new EventRecorder({ client, logger, component: 'test' });
    for (let i = 0; i < 3; i += 1) first.event(ref, 'Warning', 'SomethingOdd', 'the same message');
    first.event(ref, 'Normal', 'SomethingElse', 'another message');
    await first.flush();
    let events = await eventsAbout(client, ref);
    expect(events.find((e) => e.reason === 'SomethingOdd')).toMatchObject({
      type: 'Warning',
      count: 3,
      message: 'the same message',
    });
    expect(events.find((e) => e.reason === 'SomethingElse')).toMatchObject({ type: 'Normal', count: 1 });

    // A new replica (fresh recorder) continues the same Event rather than adding a duplicate.
    const second = new EventRecorder({ client, logger, component: 'test' });
    second.event(ref, 'Warning', 'SomethingOdd', 'the same message');
    await second.flush();
    events = await eventsAbout(client, ref);
    expect(events.filter((e) => e.reason === 'SomethingOdd')).toEqual([expect.objectContaining({ count: 4 })]);
  });
});
