// What a pod that is not a peer pod costs the backend: the pods informer lists and watches every
// pod of the cluster and keeps only peer pods (backend/src/capacity/informers.ts). Measured with
// the backend's own informers (createCapacityInformers: the list pages, the filter, the transform)
// over a stand-in API client that answers each page as the API server would, as JSON text parsed
// as KubeClient parses it. Each variant runs in a fresh Node process (--expose-gc), so its peak
// RSS is its own:
//   - heap after a full GC with N pods of which a fifth are peer pods, against the same peer pods
//     alone: the bytes a non-peer pod leaves behind (target: none), after the list and again after
//     one watch event per non-peer pod;
//   - the peak RSS of the list, paged (the backend's page size and a larger one) and unpaged (one
//     response, as a list without `limit` would be), and whether one response of all N pods could
//     be read at all (V8's longest string);
//   - for scale: what a stored peer pod costs, and a pod stored whole (no filter, no transform).
// Pods are OpenShift-sized (the webhook benchmark's 4.7 KB pod, plus a kubelet's status and the
// managedFields the API server keeps: ~7 KB of JSON). Prints one JSON object; progress on stderr.
//
//   npx tsx bench/scale/non-peer-pods.ts [--pods 150000] [--page-sizes 100,500] [--unpaged-pods 30000] [--raw-pods 10000]
import { execFileSync } from 'node:child_process';
import { constants as bufferConstants } from 'node:buffer';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { DEFAULT_EXTENDED_RESOURCE, DEFAULT_RUNTIME_CLASS } from '@peer-pods-console/contract/capacity';
import { createCapacityInformers, POD_LIST_PAGE_SIZE } from '../../backend/src/capacity/informers.ts';
import { PODS } from '../../backend/src/capacity/objects.ts';
import type { KubeClient, KubeRequest } from '../../backend/src/kube/client.ts';
import { apiListerWatcher, Informer, type StoredObject } from '../../backend/src/kube/informer.ts';
import { openShiftPeerPod } from '../../backend/src/webhook/test/fixtures.ts';

const R = DEFAULT_EXTENDED_RESOURCE;
const log = (line: string) => process.stderr.write(`[bench/non-peer-pods] ${line}\n`);
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const mb2 = (bytes: number) => Math.round((bytes / 1048576) * 100) / 100;

// ---- the pods, as a list or a watch event carries them -------------------------------------------

/** A stored pod's JSON with __I__ where its index goes (name, uid, IPs). */
function podTemplate(peer: boolean): string {
  const base = openShiftPeerPod(DEFAULT_RUNTIME_CLASS);
  const spec = { ...base.spec!, nodeName: 'worker-__NODE__' } as Record<string, unknown>;
  const containers = (base.spec!.containers ?? []).map((c) => ({ ...c }));
  if (peer) {
    // As the webhook leaves it: the sizing as annotations, one VM requested by the first container.
    for (const c of containers) delete c.resources;
    containers[0]!.resources = { requests: { [R]: '1' }, limits: { [R]: '1' } };
  } else {
    delete spec.runtimeClassName;
  }
  spec.containers = containers;
  const now = '2026-12-07T08:00:00Z';
  const statusOf = (name: string) => ({
    name,
    ready: true,
    restartCount: 0,
    started: true,
    image: 'registry.access.redhat.com/ubi9/ubi-minimal:latest',
    imageID: `registry.access.redhat.com/ubi9/ubi-minimal@sha256:${'4f'.repeat(32)}`,
    containerID: `cri-o://${'9a'.repeat(32)}`,
    state: { running: { startedAt: now } },
    lastState: {},
  });
  const pod = {
    ...base,
    metadata: {
      ...base.metadata,
      name: 'shop-7d9f8b6c5-__I__',
      generateName: undefined,
      namespace: 'shop',
      uid: '5c0f3d0e-1b7a-4a53-9d2c-__I__',
      resourceVersion: '1__I__',
      creationTimestamp: now,
      annotations: {
        ...base.metadata!.annotations,
        ...(peer ? { 'io.katacontainers.config.hypervisor.default_vcpus': '2' } : {}),
        'k8s.ovn.org/pod-networks': '{"default":{"ip_addresses":["10.128.2.17/23"],"mac_address":"0a:58:0a:80:02:11"}}',
        'k8s.v1.cni.cncf.io/network-status': '[{"name":"ovn-kubernetes","interface":"eth0","ips":["10.128.2.17"]}]',
      },
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
          },
        },
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: now,
          fieldsType: 'FieldsV1',
          subresource: 'status',
          fieldsV1: {
            'f:status': {
              'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } },
              'f:containerStatuses': {},
              'f:hostIP': {},
              'f:phase': {},
              'f:podIP': {},
              'f:startTime': {},
            },
          },
        },
      ],
    },
    spec,
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        (type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }),
      ),
      hostIP: '10.0.128.4',
      hostIPs: [{ ip: '10.0.128.4' }],
      podIP: '10.128.2.17',
      podIPs: [{ ip: '10.128.2.17' }],
      startTime: now,
      initContainerStatuses: [statusOf('migrate')],
      containerStatuses: containers.map((c) => statusOf(String(c.name))),
      qosClass: peer ? 'BestEffort' : 'Burstable',
    },
  };
  return JSON.stringify(pod);
}

// ---- one variant, in its own process -------------------------------------------------------------

interface Variant {
  name: string;
  pods: number;
  /** Only the peer pods of those `pods` exist. */
  peerOnly?: boolean;
  /** Informer page size; 0: the stand-in answers every pod in one response. */
  pageSize: number;
  /** Store every pod whole: no filter, no transform. */
  raw?: boolean;
  /** Also one MODIFIED watch event per non-peer pod. */
  watch?: boolean;
}

interface VariantResult {
  name: string;
  pods: number;
  stored: number;
  pageSize: number;
  listSeconds: number;
  listBytes: number;
  largestResponseBytes: number;
  peakRssMb: number;
  rssBeforeMb: number;
  heapAfterGcBytes: number;
  heapAfterWatchGcBytes?: number;
  watchEvents?: number;
}

const isPeer = (i: number) => i % 5 === 0;

async function runVariant(v: Variant): Promise<VariantResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const fullGc = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
  };
  const templates = { peer: podTemplate(true), plain: podTemplate(false) };
  // The stand-in keeps nothing per pod (the n-th pod's index is computed), so the heap is the informer's.
  const count = v.peerOnly ? Math.ceil(v.pods / 5) : v.pods;
  const indexAt = (n: number) => (v.peerOnly ? n * 5 : n);
  const podJson = (i: number) =>
    (isPeer(i) ? templates.peer : templates.plain).replaceAll('__I__', String(i)).replace('__NODE__', String(i % 5000));
  let listBytes = 0;
  let largestResponseBytes = 0;
  let onWatchEvent: ((event: unknown) => void) | undefined;
  // The stand-in API client: a page's JSON as bytes off the wire, decoded and parsed as KubeClient does.
  const client = {
    async request<T>(req: KubeRequest): Promise<T> {
      const start = Number(req.query?.continue ?? 0);
      const end = v.pageSize === 0 ? count : Math.min(count, start + Number(req.query?.limit));
      const items: string[] = [];
      for (let n = start; n < end; n++) items.push(podJson(indexAt(n)));
      const next = end < count ? `"continue":"${end}",` : '';
      const wire = Buffer.from(
        `{"kind":"PodList","apiVersion":"v1","metadata":{${next}"resourceVersion":"9"},"items":[${items.join(',')}]}`,
      );
      listBytes += wire.length;
      largestResponseBytes = Math.max(largestResponseBytes, wire.length);
      await new Promise((r) => setImmediate(r));
      return JSON.parse(wire.toString('utf8')) as T;
    },
    async watch(_req: unknown, onEvent: (event: unknown) => void) {
      onWatchEvent = onEvent;
      return { abort: () => undefined };
    },
  } as unknown as KubeClient;
  const logger = pino({ level: 'silent' });
  const informer: Informer<StoredObject> = v.raw
    ? new Informer<StoredObject>({
        name: 'raw-pods',
        logger,
        listerWatcher: apiListerWatcher(client, PODS),
        pageSize: v.pageSize || POD_LIST_PAGE_SIZE,
      })
    : createCapacityInformers({
        client,
        logger,
        extendedResource: R,
        targetRuntimeClass: DEFAULT_RUNTIME_CLASS,
        peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
        podListPageSize: v.pageSize || Number.MAX_SAFE_INTEGER,
      }).pods;
  await fullGc();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  informer.start();
  await informer.synced;
  const listSeconds = (performance.now() - started) / 1000;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  await fullGc();
  const result: VariantResult = {
    name: v.name,
    pods: count,
    stored: informer.size,
    pageSize: v.pageSize,
    listSeconds: Math.round(listSeconds * 100) / 100,
    listBytes,
    largestResponseBytes,
    peakRssMb: mb(peakRss),
    rssBeforeMb: mb(rssBefore),
    heapAfterGcBytes: process.memoryUsage().heapUsed,
  };
  if (v.watch) {
    while (!onWatchEvent) await new Promise((r) => setTimeout(r, 10));
    let events = 0;
    for (let n = 0; n < count; n++) {
      const i = indexAt(n);
      if (isPeer(i)) continue;
      const object = podJson(i).replace('"resourceVersion":"1', '"resourceVersion":"2');
      onWatchEvent(JSON.parse(`{"type":"MODIFIED","object":${object}}`));
      if (++events % 1000 === 0) await new Promise((r) => setImmediate(r));
    }
    await fullGc();
    result.heapAfterWatchGcBytes = process.memoryUsage().heapUsed;
    result.watchEvents = events;
  }
  await informer.stop();
  return result;
}

// ---- the parent: every variant in a fresh process ------------------------------------------------

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    pods: { type: 'string', default: '150000' },
    'page-sizes': { type: 'string', default: `${POD_LIST_PAGE_SIZE},500` },
    'unpaged-pods': { type: 'string', default: '30000' },
    'raw-pods': { type: 'string', default: '10000' },
  },
});

if (values.child) {
  process.stdout.write(JSON.stringify(await runVariant(JSON.parse(values.child) as Variant)));
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
function inFreshProcess(v: Variant): VariantResult {
  log(`${v.name}: ${v.pods} pods${v.peerOnly ? ' (their peer pods only)' : ''}, page size ${v.pageSize || 'unpaged'}`);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', JSON.stringify(v)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1048576,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = JSON.parse(out) as VariantResult;
  log(
    `  stored ${result.stored}, heap after GC ${mb(result.heapAfterGcBytes)} MB, peak RSS ${result.peakRssMb} MB, ` +
      `largest response ${mb(result.largestResponseBytes)} MB, list ${result.listSeconds} s`,
  );
  return result;
}

const N = Number(values.pods);
const pageSizes = values['page-sizes']!.split(',').map(Number);
const unpagedPods = Number(values['unpaged-pods']);
const rawPods = Number(values['raw-pods']);

const empty = inFreshProcess({ name: 'no pods', pods: 0, pageSize: POD_LIST_PAGE_SIZE });
const peerOnly = inFreshProcess({ name: 'peer pods only', pods: N, peerOnly: true, pageSize: POD_LIST_PAGE_SIZE });
const paged = pageSizes.map((pageSize) =>
  inFreshProcess({ name: `all pods, pages of ${pageSize}`, pods: N, pageSize, watch: pageSize === POD_LIST_PAGE_SIZE }),
);
const backendPaging = paged.find((p) => p.pageSize === POD_LIST_PAGE_SIZE)!;
const pagedSmall = inFreshProcess({
  name: `all pods, pages of ${POD_LIST_PAGE_SIZE}`,
  pods: unpagedPods,
  pageSize: POD_LIST_PAGE_SIZE,
});
const peerOnlySmall = inFreshProcess({
  name: 'peer pods only',
  pods: unpagedPods,
  peerOnly: true,
  pageSize: POD_LIST_PAGE_SIZE,
});
const unpaged = inFreshProcess({ name: 'all pods, one response', pods: unpagedPods, pageSize: 0 });
const raw = inFreshProcess({ name: 'every pod stored whole', pods: rawPods, pageSize: POD_LIST_PAGE_SIZE, raw: true });

const nonPeer = N - peerOnly.pods;
const perPod = (bytes: number, pods: number) => Math.round((bytes / pods) * 10) / 10;
const retainedAfterList = perPod(backendPaging.heapAfterGcBytes - peerOnly.heapAfterGcBytes, nonPeer);
const retainedAfterWatch = perPod(backendPaging.heapAfterWatchGcBytes! - peerOnly.heapAfterGcBytes, nonPeer);
const wholeListBytes = backendPaging.listBytes;
const result = {
  pods: N,
  peerPods: peerOnly.pods,
  nonPeerPods: nonPeer,
  podJsonBytes: { peer: podTemplate(true).length, nonPeer: podTemplate(false).length },
  retainedBytesPerNonPeerPod: {
    afterList: retainedAfterList,
    afterOneWatchEventEach: retainedAfterWatch,
    heapAfterGcMb: {
      peerPodsOnly: mb(peerOnly.heapAfterGcBytes),
      allPods: mb(backendPaging.heapAfterGcBytes),
      allPodsAfterWatch: mb(backendPaging.heapAfterWatchGcBytes!),
    },
    // A cost per pod would grow the difference with the pods; a difference that does not is the
    // heap's own noise after a GC (pages, caches), whatever the count.
    differenceMb: {
      [N]: mb2(backendPaging.heapAfterGcBytes - peerOnly.heapAfterGcBytes),
      [unpagedPods]: mb2(pagedSmall.heapAfterGcBytes - peerOnlySmall.heapAfterGcBytes),
    },
    target: 0,
  },
  storedBytesPerPeerPod: perPod(peerOnly.heapAfterGcBytes - empty.heapAfterGcBytes, peerOnly.pods),
  storedBytesPerPodWhole: perPod(raw.heapAfterGcBytes - empty.heapAfterGcBytes, raw.pods),
  list: {
    paged: paged.map((p) => ({
      pageSize: p.pageSize,
      seconds: p.listSeconds,
      largestResponseMb: mb(p.largestResponseBytes),
      peakRssMb: p.peakRssMb,
      rssBeforeMb: p.rssBeforeMb,
    })),
    atUnpagedPods: {
      pods: unpagedPods,
      paged: {
        pageSize: POD_LIST_PAGE_SIZE,
        peakRssMb: pagedSmall.peakRssMb,
        largestResponseMb: mb(pagedSmall.largestResponseBytes),
      },
      unpaged: { peakRssMb: unpaged.peakRssMb, responseMb: mb(unpaged.largestResponseBytes) },
    },
    // KubeClient decodes a response into one string: past V8's longest string a list cannot be read.
    unpagedAtAllPods: {
      responseMb: mb(wholeListBytes),
      v8MaxStringMb: mb(bufferConstants.MAX_STRING_LENGTH),
      readable: wholeListBytes < bufferConstants.MAX_STRING_LENGTH,
    },
  },
  backendPageSize: POD_LIST_PAGE_SIZE,
  note: 'listSeconds include making each page JSON in the same process (the stand-in API server)',
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
