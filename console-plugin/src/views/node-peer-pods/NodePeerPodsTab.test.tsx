import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';
import { SIZING_ANNOTATIONS } from '@peer-pods-console/contract/sizing';

import { NodeModel } from '../../models/Node';
import { PodKind, PodModel } from '../../models/Pod';
import { BACKEND_API_BASE, type NodeCapacity } from '../../api/backend';
import {
  backendCalls,
  capacitySummary,
  nodeCapacity,
  nodeCapacityDetail,
  serveBackend,
  unrelatedNodeCapacity,
} from '../../test/capacityFixtures';
import { ADMIN_PERMISSIONS, node, VIEWER_PERMISSIONS } from '../../test/fixtures';
import { stuckPeerPod, stuckPeerPods } from '../../test/operationsFixtures';
import { capacityRoom, roomWith64FreeVcpus, vmSize } from '../../test/roomFixtures';
import { setTestLanguage } from '../../test/i18n-mock';
import { consoleFetchJSON, fakeAccess, fakeCluster, httpError, useK8sWatchResource } from '../../test/sdk-mock';
import NodePeerPodsTab from './NodePeerPodsTab';

const peerPod = (name: string, nodeName: string, { counted = true, namespace = 'demo' } = {}): PodKind => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, creationTimestamp: '2025-01-01T10:00:00Z' },
  spec: {
    nodeName,
    runtimeClassName: 'kata-remote',
    containers: [
      {
        name: 'app',
        resources: counted ? { requests: { 'kata.peerpods.io/vm': '1' }, limits: { 'kata.peerpods.io/vm': '1' } } : {},
      },
    ],
  },
  status: { phase: 'Running' },
});

/** A counted peer pod with the sizing annotations the webhook (or the user) put on it. */
const sizedPeerPod = (name: string, annotations: Record<string, string>): PodKind => {
  const pod = peerPod(name, 'worker-a');
  return { ...pod, metadata: { ...pod.metadata, annotations } };
};

/** The running VM of the pod demo/web-1, as the cloud inventory describes it. */
const web1Vm = (instanceType: string): NodeCapacity['vms'][number] => ({
  id: 'i-0a1',
  name: 'podvm-web-1-abcd1234',
  state: 'running',
  instanceType,
  pod: { namespace: 'demo', name: 'web-1' },
});

const plainPod = (name: string, nodeName: string): PodKind => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'demo' },
  spec: { nodeName, containers: [{ name: 'app' }] },
  status: { phase: 'Running' },
});

const renderTab = (name = 'worker-a') =>
  render(
    <MemoryRouter>
      <NodePeerPodsTab obj={node(name)} />
    </MemoryRouter>,
  );

/** The VM size cell of each pod, by pod name. */
const vmSizeCells = async (): Promise<Record<string, HTMLElement>> => {
  const table = await screen.findByRole('grid', { name: 'Peer pods on this node' });
  return Object.fromEntries(
    within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [
        within(row).getByRole('link').textContent,
        row.querySelector<HTMLElement>('td[data-label="VM size"]')!,
      ]),
  );
};

/** The <dd> that belongs to the <dt> with this text. */
const detailOf = (term: string) => {
  const list = screen.getByLabelText('Peer pod capacity of the node');
  const index = within(list)
    .getAllByRole('term')
    .findIndex((element) => element.textContent === term);
  return within(list).getAllByRole('definition')[index]!;
};

describe('Node details → Peer pods tab', () => {
  it('shows spinners while the capacity and the pods load', () => {
    fakeCluster.setLoading(PodModel);

    renderTab();

    expect(screen.getByRole('progressbar', { name: 'Loading peer pod capacity' })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Loading peer pods' })).toBeInTheDocument();
  });

  it("shows the node's limit, where it comes from, use and status from the backend", async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a', { used: 8, pendingHere: 1 })),
    });

    renderTab();

    await screen.findByLabelText('Peer pod capacity of the node');
    expect(detailOf('Limit from')).toHaveTextContent('PeerPodConfig peerpodconfig-openshift');
    expect(detailOf('Limit')).toHaveTextContent('10');
    expect(detailOf('Advertised')).toHaveTextContent('10');
    expect(detailOf('In use')).toHaveTextContent('8');
    expect(detailOf('Free')).toHaveTextContent('2');
    expect(detailOf('Pending here')).toHaveTextContent('1');
    expect(within(detailOf('Utilisation')).getByRole('progressbar')).toHaveAttribute(
      'aria-valuetext',
      '8 of 10 VMs in use',
    );
    expect(within(detailOf('Status')).getByText('Pending here: 1')).toBeInTheDocument();
  });

  it('lists the peer pods on the node, marks the ones the scheduler does not count, and shows their VMs', async () => {
    fakeCluster.setObjects(PodModel, [
      peerPod('web-1', 'worker-a'),
      peerPod('escaped', 'worker-a', { counted: false, namespace: 'kube-system' }),
      peerPod('elsewhere', 'worker-b'),
      plainPod('ordinary', 'worker-a'),
    ]);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(
        nodeCapacity('worker-a', {
          used: 1,
          vms: [web1Vm('t3.small'), { id: 'i-0b2', name: 'podvm-lost-ffff0000', state: 'running' }],
        }),
        {
          unaccounted: [
            {
              namespace: 'kube-system',
              name: 'escaped',
              nodeName: 'worker-a',
              phase: 'Running',
              reason: 'no kata.peerpods.io/vm request: …',
            },
          ],
        },
      ),
    });

    renderTab();

    const pods = await screen.findByRole('grid', { name: 'Peer pods on this node' });
    const rows = within(pods).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').textContent)).toEqual(['web-1', 'escaped']);
    expect(rows[0]).toHaveTextContent('Yes');
    expect(await within(rows[0]!).findByText('podvm-web-1-abcd1234')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Unaccounted')).toBeInTheDocument();

    const vms = screen.getByRole('grid', { name: 'Peer pod VMs of this node' });
    const vmRows = within(vms).getAllByRole('row').slice(1);
    expect(vmRows[0]).toHaveTextContent('i-0a1');
    expect(within(vmRows[0]!).getByRole('link', { name: 'web-1' })).toHaveAttribute(
      'href',
      '/k8s/ns/demo/core~v1~Pod/web-1',
    );
    expect(within(vmRows[1]!).getByText('Orphan')).toBeInTheDocument();

    expect(screen.getByRole('grid', { name: 'Unaccounted peer pods' })).toHaveTextContent('escaped');
  });

  it("shows each pod's phase and each VM's state in words, the VM's with the Virtual machines tab's label", async () => {
    const pending = peerPod('web-2', 'worker-a');
    fakeCluster.setObjects(PodModel, [peerPod('web-1', 'worker-a'), { ...pending, status: { phase: 'Pending' } }]);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(
        nodeCapacity('worker-a', {
          used: 2,
          vms: [web1Vm('t3.small'), { id: 'i-0b2', name: 'podvm-x', state: 'stopping' }],
        }),
      ),
    });

    renderTab();

    const pods = await screen.findByRole('grid', { name: 'Peer pods on this node' });
    const phases = within(pods)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.querySelector('td[data-label="Phase"]')?.textContent);
    expect(phases).toEqual(['Running', 'Pending']);
    const vms = screen.getByRole('grid', { name: 'Peer pod VMs of this node' });
    const states = within(vms)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.querySelector<HTMLElement>('td[data-label="State"]')!);
    expect(states.map((cell) => cell.textContent)).toEqual(['Running', 'Stopping']);
    // The Virtual machines tab's label, not the cloud's lowercase word.
    expect(within(states[0]!).getByText('Running').closest('.pf-v6-c-label')).not.toBeNull();
  });

  it("translates the pods' phases and the VMs' states with the plugin's catalog", async () => {
    setTestLanguage('fr');
    const pending = peerPod('web-2', 'worker-a');
    fakeCluster.setObjects(PodModel, [peerPod('web-1', 'worker-a'), { ...pending, status: { phase: 'Pending' } }]);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a', { used: 2, vms: [web1Vm('t3.small')] })),
    });

    renderTab();

    const pods = await screen.findByRole('grid', { name: 'Pods pairs de ce nœud' });
    expect(
      within(pods)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.querySelector('td[data-label="Phase"]')?.textContent),
    ).toEqual(['En cours d’exécution', 'En attente']);
    const vms = screen.getByRole('grid', { name: 'VM de pods pairs de ce nœud' });
    expect(within(vms).getByText('En cours d’exécution')).toBeInTheDocument();
    expect(within(vms).queryByText('running')).not.toBeInTheDocument();
  });

  it('shows the VMs without names or pod links, saying once why, when the user may not list pods', async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(
        nodeCapacity('worker-a', {
          used: 1,
          vms: [
            { id: null, name: null, state: 'running', instanceType: 't3.small', pod: { namespace: null, name: null } },
            { id: null, name: null, state: 'stopped' },
          ],
        }),
        { podNames: 'hidden' },
      ),
    });

    renderTab();

    const vms = await screen.findByRole('grid', { name: 'Peer pod VMs of this node' });
    expect(screen.getAllByText('Pod names hidden: you may not list pods in all namespaces')).toHaveLength(1);
    expect(within(vms).queryByRole('columnheader', { name: 'VM' })).not.toBeInTheDocument();
    expect(within(vms).queryByRole('link')).not.toBeInTheDocument();
    const [withPod, orphan] = within(vms).getAllByRole('row').slice(1);
    expect(withPod).toHaveTextContent('Running');
    expect(withPod).toHaveTextContent('t3.small');
    expect(within(withPod!).queryByText('Orphan')).not.toBeInTheDocument();
    expect(within(orphan!).getByText('Orphan')).toBeInTheDocument();
  });

  it('watches pods of this node only, in every namespace', () => {
    renderTab('worker-b');

    expect(useK8sWatchResource).toHaveBeenCalledWith(
      expect.objectContaining({
        groupVersionKind: { group: undefined, version: 'v1', kind: 'Pod' },
        isList: true,
        fieldSelector: 'spec.nodeName=worker-b',
      }),
    );
  });

  it('says so when no peer pod runs on the node and the inventory knows no VM', async () => {
    fakeCluster.setObjects(PodModel, [plainPod('ordinary', 'worker-a')]);
    serveBackend({ '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')) });

    renderTab();

    expect(await screen.findByText('No peer pod runs on this node.')).toBeInTheDocument();
    // The pod list (the cluster's watch) and the VM list (the backend's answer) arrive apart.
    expect(await screen.findByText(/The cloud inventory knows no peer pod VM of this node/)).toBeInTheDocument();
  });

  it('explains a node that does not run peer pods', async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({ '/capacity/nodes/master-0': nodeCapacityDetail(unrelatedNodeCapacity('master-0')) });

    renderTab('master-0');

    expect(await screen.findByText('This node does not run peer pods')).toBeInTheDocument();
    expect(detailOf('Limit from')).toHaveTextContent('No PeerPodConfig selects this node');
  });

  it('explains a node the backend does not know yet', async () => {
    serveBackend({
      '/capacity/nodes/worker-new': httpError(404, 'node "worker-new" is not known to the capacity model'),
    });

    renderTab('worker-new');

    expect(await screen.findByText('The backend does not know this node yet')).toBeInTheDocument();
  });

  it('explains a missing permission and an unreachable backend', async () => {
    serveBackend({ '/capacity/nodes/worker-a': httpError(403, 'user "dev" may not list nodes') });
    const { unmount } = renderTab();
    expect(await screen.findByText('You are not allowed to read peer pod capacity')).toBeInTheDocument();
    unmount();

    serveBackend({ '/capacity/nodes/worker-a': httpError(502, 'Bad Gateway') });
    renderTab();
    expect(await screen.findByText('The peer pods backend is not reachable')).toBeInTheDocument();
  });

  it('says calmly, once, which permission listing the pods needs', async () => {
    fakeCluster.setError(PodModel, httpError(403, 'pods is forbidden: User "dev" cannot list resource "pods"'));
    serveBackend({ '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')) });

    renderTab();

    const title = await screen.findByRole('heading', { name: /Could not list the pods on this node/ });
    expect(title.closest('.pf-v6-c-alert')).toHaveClass('pf-m-info');
    expect(screen.getByText(/needs the permission to list pods in the whole cluster/)).toBeInTheDocument();
    expect(screen.queryByText(/pods is forbidden/)).not.toBeInTheDocument();
  });

  it('shows the API server’s words when the pods cannot be listed for another reason', async () => {
    fakeCluster.setError(PodModel, httpError(500, 'etcdserver: request timed out'));
    serveBackend({ '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')) });

    renderTab();

    expect(await screen.findByText('Could not list the pods on this node')).toBeInTheDocument();
    expect(screen.getByText('etcdserver: request timed out')).toBeInTheDocument();
  });

  it('lists the stuck peer pods of this node only, and counts the pods pinned to it', async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a', { used: 10, pendingPinned: 1 })),
      '/stuck?node=worker-a': stuckPeerPods([
        stuckPeerPod('db-0', { nodeName: 'worker-a', pinned: true, fixes: ['raise-override'] }),
      ]),
    });

    renderTab();

    const stuck = await screen.findByRole('grid', { name: 'Stuck peer pods' });
    expect(within(stuck).getByRole('link', { name: 'db-0' })).toBeInTheDocument();
    expect(within(stuck).getByRole('button', { name: 'Raise the override on worker-a' })).toBeInTheDocument();
    expect(detailOf('Pending for this node')).toHaveTextContent(/^1/);
  });

  it('counts the pods pending for this node beside those pending here, and says only its override lets them run', async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({
      '/capacity/nodes/worker-4': nodeCapacityDetail(
        nodeCapacity('worker-4', { source: 'override', override: 1, desired: 1, used: 1, pendingPinned: 2 }),
      ),
    });

    renderTab('worker-4');

    await screen.findByLabelText('Peer pod capacity of the node');
    expect(detailOf('Pending here')).toHaveTextContent(/^0$/);
    expect(detailOf('Pending for this node')).toHaveTextContent(/^2/);
    expect(detailOf('Pending for this node')).toHaveTextContent(
      /Only a higher override on this node, or a VM freed here, lets them run: the PeerPodConfig limit does not apply to this node\./,
    );
  });

  it('says a higher limit or an override lets pods pinned to a node the PeerPodConfig governs run', async () => {
    fakeCluster.setObjects(PodModel, []);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a', { used: 10, pendingPinned: 1 })),
    });

    renderTab();

    await screen.findByLabelText('Peer pod capacity of the node');
    expect(detailOf('Pending for this node')).toHaveTextContent(
      /A higher PeerPodConfig limit or an override on this node, or a VM freed here, lets them run/,
    );
  });

  it('edits the override of this node', async () => {
    const user = userEvent.setup();
    fakeCluster.setObjects(PodModel, []);
    fakeCluster.setObjects(NodeModel, [node('worker-a')]);
    consoleFetchJSON.put.mockResolvedValue({
      target: 'worker-a',
      old: null,
      new: '5',
      event: { namespace: 'default', name: 'worker-a.0123456789abcdef' },
    });
    serveBackend({ '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')) });
    renderTab();

    await user.click(await screen.findByRole('button', { name: 'Set override' }));
    const dialog = screen.getByRole('dialog', { name: 'VM limit override' });
    await user.type(within(dialog).getByRole('textbox', { name: /VM limit override/ }), '5');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    // The backend writes the annotation with the user's own token (and records who changed it).
    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND_API_BASE}/nodes/worker-a/override`, { override: 5 });
  });

  it('states what the override typed promises over every node of the cluster, which the editor reads itself', async () => {
    const user = userEvent.setup();
    fakeCluster.setObjects(PodModel, []);
    fakeCluster.setObjects(NodeModel, [node('worker-a')]);
    serveBackend({
      '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')),
      '/capacity': capacitySummary([nodeCapacity('worker-a'), nodeCapacity('worker-b')]),
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': roomWith64FreeVcpus(),
    });
    renderTab();

    await user.click(await screen.findByRole('button', { name: 'Set override' }));
    const dialog = screen.getByRole('dialog', { name: 'VM limit override' });
    await user.type(within(dialog).getByRole('textbox', { name: /VM limit override/ }), '5');

    // worker-a at 5, worker-b at the PeerPodConfig's 10.
    expect(
      await within(dialog).findByText(
        'With this override, the nodes promise 15 VMs = 30 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();
    expect(backendCalls()).toContain('/capacity');
  });

  it('disables the override button, with the reason, without the permission to patch this node', async () => {
    const user = userEvent.setup();
    fakeAccess.deny({ resource: 'nodes', verb: 'patch', name: 'worker-a' });
    serveBackend({ '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')) });
    renderTab();

    const button = await screen.findByRole('button', { name: 'Set override' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.hover(button);
    expect(await screen.findByText(/Setting an override needs the permission to patch nodes/)).toBeInTheDocument();
  });

  describe('VM size', () => {
    const pods = [
      peerPod('web-1', 'worker-a'),
      sizedPeerPod('asks-by-name', { [SIZING_ANNOTATIONS.machineType]: 'm6a.xlarge' }),
      sizedPeerPod('asks-by-amount', { [SIZING_ANNOTATIONS.vcpus]: '3', [SIZING_ANNOTATIONS.memory]: '6144' }),
      sizedPeerPod('asks-nothing', {}),
      sizedPeerPod('asks-not-allowed', { [SIZING_ANNOTATIONS.machineType]: 'c5.4xlarge' }),
      sizedPeerPod('asks-too-much', { [SIZING_ANNOTATIONS.vcpus]: '64', [SIZING_ANNOTATIONS.memory]: '262144' }),
    ];
    const nodeWithVm = nodeCapacityDetail(nodeCapacity('worker-a', { used: 1, vms: [web1Vm('m6a.large')] }));
    const room = capacityRoom({
      allowedSizes: ['m6a.large', 'm6a.xlarge'],
      sizes: [vmSize('m6a.large', 2, 8192), vmSize('m6a.xlarge', 4, 16384)],
    });

    /** The tab with these pods on worker-a, web-1's VM in the inventory, and the room for users who may read the cloud. */
    const renderWithPods = (podsHere: PodKind[], permissions = ADMIN_PERMISSIONS) => {
      fakeCluster.setObjects(PodModel, podsHere);
      serveBackend({ '/capacity/nodes/worker-a': nodeWithVm, '/permissions': permissions, '/capacity/room': room });
      renderTab();
    };

    it("shows the real size of a pod's VM, and the size the adaptor will pick for a pod without one", async () => {
      renderWithPods(pods);

      await screen.findAllByText('m6a.xlarge (expected)');
      const cells = await vmSizeCells();
      expect(cells['web-1']).toHaveTextContent(/^m6a\.large2 vCPUs · 8 GiB$/);
      expect(cells['asks-by-name']).toHaveTextContent(/^m6a\.xlarge \(expected\)4 vCPUs · 16 GiB$/);
      // 3 vCPUs and 6 GiB: the smallest allowed size with at least both.
      expect(cells['asks-by-amount']).toHaveTextContent(/^m6a\.xlarge \(expected\)/);
      expect(cells['asks-nothing']).toHaveTextContent(/^m6a\.large \(expected\)2 vCPUs · 8 GiB$/);
    });

    it('warns, with the reason, when the adaptor will refuse to create the VM', async () => {
      const user = userEvent.setup();

      renderWithPods(pods);

      const refused = await screen.findByText('c5.4xlarge not allowed');
      await user.hover(refused);
      expect(
        await screen.findByText(
          'machine_type c5.4xlarge is not in PODVM_INSTANCE_TYPES; the adaptor refuses to create this VM.',
        ),
      ).toBeInTheDocument();

      const cells = await vmSizeCells();
      const tooBig = within(cells['asks-too-much']!).getByText('No size fits');
      await user.hover(tooBig);
      expect(
        await screen.findByText(
          'The pod asks for 64 vCPUs and 256 GiB, and no size in PODVM_INSTANCE_TYPES has that much; the adaptor refuses to create this VM.',
        ),
      ).toBeInTheDocument();
    });

    it('refuses a machine_type other than the default size when there is no allowed list', async () => {
      const user = userEvent.setup();
      fakeCluster.setObjects(PodModel, [
        sizedPeerPod('asks-by-name', { [SIZING_ANNOTATIONS.machineType]: 'm6a.xlarge' }),
      ]);
      serveBackend({
        '/capacity/nodes/worker-a': nodeCapacityDetail(nodeCapacity('worker-a')),
        '/permissions': ADMIN_PERMISSIONS,
        '/capacity/room': capacityRoom(),
      });

      renderTab();

      await user.hover(await screen.findByText('m6a.xlarge not allowed'));
      expect(
        await screen.findByText(
          'machine_type m6a.xlarge is not the default size m6a.large, and PODVM_INSTANCE_TYPES lists no other size; the adaptor refuses to create this VM.',
        ),
      ).toBeInTheDocument();
    });

    it('shows only the real sizes to a user who may not read the cloud, and reads no sizes', async () => {
      renderWithPods(pods.slice(0, 2), { ...VIEWER_PERMISSIONS, canReadCloud: false });

      expect(
        await within(await screen.findByRole('grid', { name: 'Peer pods on this node' })).findByText(
          'podvm-web-1-abcd1234',
        ),
      ).toBeInTheDocument();
      const cells = await vmSizeCells();
      expect(cells['web-1']).toHaveTextContent(/^m6a\.large$/);
      expect(cells['asks-by-name']).toHaveTextContent(/^—$/);
      expect(backendCalls()).toContain('/permissions');
      expect(backendCalls()).not.toContain('/capacity/room');
    });
  });
});
