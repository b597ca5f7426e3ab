// The start command's local stack, on each platform, used the way the plugin uses it: through the
// console shell's backend proxy as the admin. The demo peer pods are placed by the real scheduler
// (some pending for lack of capacity), the orphan VM is found and cleaned up in the simulated
// cloud, and the port wizard's rules open in moto's security group / the ARM server's NSG.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StuckPeerPods, VmConsoleOutput } from '@peer-pods-console/contract';
import { PEERPOD_RESOURCE } from '../controlplane/fixtures.ts';
import { DEMO_NAMESPACE, SMALL_NODE_PODS, SPREAD_PODS, STUCK_POD } from './demo.ts';
import { ORPHAN_VM_NAME } from './simulated-cloud.ts';
import { startLocalStack, type LocalStack } from './stack.ts';

const BACKEND = '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1';

interface Vm {
  id: string;
  name: string;
  pod: { name: string } | null;
  nodeName: string | null;
  orphan: boolean;
}

describe.each(['aws', 'azure'] as const)('the local stack on %s', (platform) => {
  let stack: LocalStack;
  let dir: string;
  let csrf: string;
  let kc: KubeConfig;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${stack.shellUrl}${BACKEND}${path}`, {
      method,
      headers:
        method === 'POST'
          ? { 'content-type': 'application/json', 'x-csrftoken': csrf, cookie: `csrf-token=${csrf}` }
          : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBe(200);
    return (await res.json()) as T;
  }

  async function inventoryWith(check: (vms: Vm[]) => boolean): Promise<Vm[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { vms } = await call<{ vms: Vm[] }>('GET', '/vms');
      if (check(vms) || Date.now() > deadline) return vms;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `local-stack-${platform}-`));
    const pluginDistDir = join(dir, 'dist');
    mkdirSync(pluginDistDir);
    writeFileSync(join(pluginDistDir, 'plugin-manifest.json'), JSON.stringify({ name: 'peer-pods-console-plugin' }));
    stack = await startLocalStack({
      platform,
      nodes: 5,
      backendPort: 0,
      shellPort: 0,
      pluginDistDir,
      backendOutput: { file: join(dir, 'backend.log') },
      orphanGraceSeconds: 0,
      stuckGraceSeconds: 0,
      inventoryIntervalSeconds: 5,
      log: () => {},
    });
    kc = new KubeConfig();
    kc.loadFromFile(stack.kubeconfigPath);
    const page = await fetch(`${stack.shellUrl}/`, { headers: { accept: 'text/html' } });
    csrf = /csrf-token=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
  });

  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has five workers on the platform, with the providerIDs of their VMs in the simulated cloud', async () => {
    const nodes = (await kc.makeApiClient(CoreV1Api).listNode()).items;
    expect(nodes.map((n) => n.metadata!.name).sort()).toEqual([
      'worker-0',
      'worker-1',
      'worker-2',
      'worker-3',
      'worker-4',
    ]);
    for (const node of nodes) {
      expect(node.spec!.providerID).toMatch(
        platform === 'aws'
          ? /^aws:\/\/\/us-east-2a\/i-[0-9a-f]+$/
          : /^azure:\/\/\/subscriptions\/.+\/virtualMachines\/worker-\d$/,
      );
    }
  });

  it('lets the scheduler place the demo peer pods: the small node takes one, two wait for capacity', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const pods = (await core.listNamespacedPod({ namespace: DEMO_NAMESPACE })).items;
    const running = pods.filter((p) => p.spec?.nodeName).map((p) => p.metadata!.name!);
    const pending = pods.filter((p) => !p.spec?.nodeName);
    expect(running).toEqual(expect.arrayContaining(SPREAD_PODS));
    expect(running.filter((name) => SMALL_NODE_PODS.includes(name))).toHaveLength(1);
    expect(pending.map((p) => p.metadata!.name)).toEqual(SMALL_NODE_PODS.filter((name) => !running.includes(name)));
    for (const pod of pending) {
      expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toContain(
        `Insufficient ${PEERPOD_RESOURCE}`,
      );
    }
    // Mutated by the webhook: the VM request replaced the container resources.
    expect(pods[0]!.spec!.containers[0]!.resources?.requests).toEqual({ [PEERPOD_RESOURCE]: '1' });

    const capacity = await call<{ totals: { pendingForCapacity: number; used: number } }>('GET', '/capacity');
    // Four running, and the stuck one: bound, so it holds its node's VM.
    expect(capacity.totals).toMatchObject({ pendingForCapacity: 2, used: 5 });
  });

  it('lists the demo pod whose agent port is closed as stuck in sandbox creation, with the fix and its VM’s console', async () => {
    let stuck: StuckPeerPods | undefined;
    // The VM id comes from the inventory, which is taken every 5 s.
    for (let attempt = 0; attempt < 60; attempt++) {
      stuck = await call<StuckPeerPods>('GET', '/stuck');
      if (stuck.pods.some((p) => p.name === STUCK_POD && p.vmId)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const pod = stuck!.pods.find((p) => p.name === STUCK_POD)!;
    expect(pod).toMatchObject({
      namespace: DEMO_NAMESPACE,
      stage: 'sandbox',
      reason: 'network',
      eventReason: 'FailedCreatePodSandBox',
      fixes: ['open-ports'],
    });
    expect(pod.message).toContain(':15150');
    expect(pod.vmId).toEqual(expect.any(String));
    // The pinned demo pods wait for the small node: stuck for capacity, and their fix names its override.
    const pinned = stuck!.pods.filter((p) => p.stage === 'pending');
    expect(pinned.map((p) => p.name).sort()).toEqual(
      (await call<{ pending: { name: string }[] }>('GET', '/capacity')).pending.map((p) => p.name).sort(),
    );
    for (const p of pinned)
      expect(p).toMatchObject({ reason: 'capacity', pinned: true, fixes: expect.arrayContaining(['raise-override']) });

    const serial = await call<VmConsoleOutput>('GET', `/vms/${encodeURIComponent(pod.vmId!)}/console-output`);
    expect(serial.vmId).toBe(pod.vmId);
    // moto answers with console text; an Azure VM without boot diagnostics says why there is none.
    expect(serial.output.length > 0 || serial.unavailable !== null).toBe(true);
  });

  it('reports the orphan VM and the running pods’ VMs, each with its pod, node and PeerPod', async () => {
    const vms = await inventoryWith((list) => list.length === 6 && list.some((vm) => vm.orphan));
    expect(vms.filter((vm) => vm.orphan).map((vm) => vm.name)).toEqual([ORPHAN_VM_NAME]);
    const claimed = vms.filter((vm) => !vm.orphan);
    expect(claimed).toHaveLength(5);
    const peerPods = await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'confidentialcontainers.org',
      version: 'v1alpha1',
      plural: 'peerpods',
      namespace: DEMO_NAMESPACE,
    });
    const instanceIds = (peerPods as { items: { spec: { instanceID: string } }[] }).items.map((p) => p.spec.instanceID);
    for (const vm of claimed) {
      expect(vm.name).toMatch(new RegExp(`^podvm-${vm.pod!.name}-[0-9a-f]{8}$`));
      expect(vm.nodeName).toMatch(/^worker-\d$/);
      expect(instanceIds).toContain(vm.id);
    }
  });

  it('opens both port rules in the workers’ security group / NSG, and finds them open on a second run', async () => {
    const before = await call<{ rules: { port: number; state: string }[] }>('GET', '/ports');
    expect(before.rules.map((r) => [r.port, r.state])).toEqual([
      [15150, 'missing'],
      [9000, 'missing'],
    ]);
    const first = await call<{ results: { outcome: string }[]; verified: { rules: { state: string }[] } }>(
      'POST',
      '/ports/apply',
      {},
    );
    expect(first.results.map((r) => r.outcome)).toEqual(['created', 'created']);
    expect(first.verified.rules.map((r) => r.state)).toEqual(['present', 'present']);
    const second = await call<{ results: { outcome: string }[] }>('POST', '/ports/apply', {});
    expect(second.results.map((r) => r.outcome)).toEqual(['already-present', 'already-present']);
  });

  it('cleans the orphan up in the cloud after a dry run that changes nothing', async () => {
    const orphan = (await inventoryWith(() => true)).find((vm) => vm.orphan)!;
    type Cleanup = { confirmation?: string | null; results: { name: string; outcome: string; message: string }[] };
    const dryRun = await call<Cleanup>('POST', '/vms/cleanup', { dryRun: true, vmIds: [orphan.id] });
    expect(dryRun.results).toMatchObject([{ name: ORPHAN_VM_NAME, outcome: 'would-delete' }]);
    const done = await call<Cleanup>('POST', '/vms/cleanup', {
      dryRun: false,
      vmIds: [orphan.id],
      confirmation: dryRun.confirmation,
    });
    // Not "already gone": the dry run left the VM in place.
    expect(done.results).toMatchObject([
      { name: ORPHAN_VM_NAME, outcome: 'deleted', message: expect.stringMatching(/^deleted \d+ cloud resource/) },
    ]);
    const after = await inventoryWith((list) => !list.some((vm) => vm.name === ORPHAN_VM_NAME));
    expect(after.map((vm) => vm.name)).not.toContain(ORPHAN_VM_NAME);
    expect(after).toHaveLength(5);
  });
});
