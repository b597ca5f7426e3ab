import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import type { NodeCapacity } from '../../../api/backend';
import { NodeModel } from '../../../models/Node';
import { PeerPodConfigModel } from '../../../models/PeerPodConfig';
import {
  backendCalls,
  capacitySummary,
  nodeCapacity,
  serveBackend,
  unrelatedNodeCapacity,
} from '../../../test/capacityFixtures';
import { FakeEventSource } from '../../../test/fakeEventSource';
import { node, peerPodConfig } from '../../../test/fixtures';
import { fakeCluster, httpError } from '../../../test/sdk-mock';
import CapacityTab from './CapacityTab';

const renderTab = () =>
  render(
    <MemoryRouter>
      <CapacityTab />
    </MemoryRouter>,
  );

const nodeTable = () => screen.getByRole('grid', { name: 'Peer pod VM capacity per node' });
const nodeRows = () => within(nodeTable()).getAllByRole('row').slice(1);
const nodeNames = () => nodeRows().map((row) => within(row).getByRole('link').textContent);
/** The text of each cell of the row of this node. */
const cellsOf = (name: string) => {
  const row = nodeRows().find((candidate) => within(candidate).queryByRole('link', { name }));
  if (!row) throw new Error(`no row for node ${name}`);
  return row;
};

/** The <dd> of the card whose <dt> has this text. */
const totalOf = (term: string) => {
  const list = screen.getByLabelText('Cluster totals');
  const index = within(list)
    .getAllByRole('term')
    .findIndex((element) => element.textContent === term);
  return within(list).getAllByRole('definition')[index]!;
};

const withConfig = () => fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);

const manyNodes = (count: number): NodeCapacity[] =>
  Array.from({ length: count }, (_, index) =>
    nodeCapacity(`worker-${String(index + 1).padStart(4, '0')}`, { used: index % 11 }),
  );

describe('Capacity tab', () => {
  describe('loading, empty and error states', () => {
    it('shows spinners while the PeerPodConfig and the capacity load', () => {
      fakeCluster.setLoading(PeerPodConfigModel);

      renderTab();

      expect(screen.getByRole('progressbar', { name: 'Loading the PeerPodConfig' })).toBeInTheDocument();
      expect(screen.getByRole('progressbar', { name: 'Loading peer pod capacity' })).toBeInTheDocument();
    });

    it('explains how to create a PeerPodConfig and shows no capacity when nothing runs peer pods', async () => {
      fakeCluster.setObjects(PeerPodConfigModel, []);
      serveBackend({ '/capacity': capacitySummary([unrelatedNodeCapacity('master-0')]) });

      renderTab();

      expect(screen.getByRole('heading', { name: 'No PeerPodConfig found' })).toBeInTheDocument();
      await waitFor(() => expect(backendCalls()).toContain('/capacity'));
      expect(screen.queryByRole('grid', { name: 'Peer pod VM capacity per node' })).not.toBeInTheDocument();
      expect(screen.queryByRole('progressbar', { name: 'Loading peer pod capacity' })).not.toBeInTheDocument();
    });

    it('still shows nodes that advertise capacity when the PeerPodConfig is gone', async () => {
      fakeCluster.setObjects(PeerPodConfigModel, []);
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-a', {
            source: 'none',
            config: null,
            matchedConfigs: [],
            desiredState: 'absent',
            desired: null,
            advertised: 10,
            drift: 'unexpected',
          }),
        ]),
      });

      renderTab();

      expect(await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' })).toBeInTheDocument();
      expect(within(cellsOf('worker-a')).getByText('Advertised without a limit')).toBeInTheDocument();
    });

    it('says that no node runs peer pods when the PeerPodConfig selects none', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([unrelatedNodeCapacity('worker-a')]) });

      renderTab();

      expect(await screen.findByRole('heading', { name: 'No node runs peer pods' })).toBeInTheDocument();
    });

    it('tells a user who may not read capacity which permission is missing', async () => {
      withConfig();
      serveBackend({
        '/capacity': httpError(403, 'user "dev" may not list nodes; ask a cluster administrator for that permission'),
      });

      renderTab();

      expect(await screen.findByText('You are not allowed to read peer pod capacity')).toBeInTheDocument();
      expect(screen.getAllByText(/needs the permission to list nodes in the whole cluster/)).toHaveLength(1);
      expect(screen.queryByText(/user "dev" may not list nodes/)).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
      expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    });

    it('shows both problems to a user who may read neither the PeerPodConfig nor capacity', async () => {
      fakeCluster.setError(PeerPodConfigModel, httpError(403, 'peerpodconfigs is forbidden'));
      serveBackend({ '/capacity': httpError(403, 'forbidden') });

      renderTab();

      expect(screen.getByText(/You are not allowed to read PeerPodConfigs/)).toBeInTheDocument();
      expect(await screen.findByText('You are not allowed to read peer pod capacity')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Edit limit' })).not.toBeInTheDocument();
    });

    it('explains an unreachable backend, gives the commands to check it, and asks again on request', async () => {
      const user = userEvent.setup();
      withConfig();
      serveBackend({ '/capacity': httpError(503, 'Service Unavailable') });

      renderTab();

      expect(await screen.findByText('The peer pods backend is not reachable')).toBeInTheDocument();
      expect(screen.getByText('Error: Service Unavailable')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Copy the commands' }));
      const commands = await navigator.clipboard.readText();
      expect(commands).toMatch(/^oc get consoleplugin peer-pods-console-plugin /m);
      expect(commands).toMatch(/^oc get pods --all-namespaces -l app.kubernetes.io\/part-of=peer-pods-console$/m);

      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a')]) });
      await user.click(screen.getByRole('button', { name: 'Try again' }));

      expect(await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' })).toBeInTheDocument();
      expect(screen.queryByText('The peer pods backend is not reachable')).not.toBeInTheDocument();
    });
  });

  describe('with data', () => {
    it('shows the PeerPodConfig and the cluster totals', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary(
          [
            nodeCapacity('worker-a', {
              used: 7,
              vms: [{ id: 'i-1', name: 'podvm-a', pod: { namespace: 'd', name: 'a' } }],
            }),
            nodeCapacity('worker-b', { used: 0, advertised: null, allocatable: null, drift: 'not-advertised' }),
          ],
          {
            orphans: 2,
            pending: [
              {
                namespace: 'demo',
                name: 'web-3',
                since: '2025-01-01T11:00:00Z',
                message: 'Insufficient vm',
                pinnedNode: null,
              },
            ],
            unaccounted: [
              { namespace: 'kube-system', name: 'odd', nodeName: 'worker-a', phase: 'Running', reason: 'x' },
            ],
          },
        ),
      });

      renderTab();

      await screen.findByLabelText('Cluster totals');
      expect(screen.getByLabelText('PeerPodConfig summary')).toHaveTextContent('10');
      expect(totalOf('Capacity')).toHaveTextContent(/^10VMs on 1 of 2 nodes$/);
      expect(totalOf('In use')).toHaveTextContent(/^7/);
      expect(totalOf('Free')).toHaveTextContent(/^3/);
      expect(totalOf('Pending')).toHaveTextContent(/^1/);
      expect(totalOf('VMs')).toHaveTextContent(/^1/);
      expect(totalOf('Orphans')).toHaveTextContent(/^2/);
      expect(within(totalOf('Orphans')).getByRole('link', { name: 'VMs that no pod owns' })).toHaveAttribute(
        'href',
        '/peer-pods/virtual-machines?orphans=true',
      );
      expect(totalOf('Unaccounted')).toHaveTextContent(/^1/);
    });

    it('says that the orphan count is unknown before the first cloud inventory', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a')], { orphans: null }) });

      renderTab();

      expect(await screen.findByText('The cloud inventory has not been read yet')).toBeInTheDocument();
      expect(totalOf('Orphans')).toHaveTextContent(/^Unknown/);
    });

    it('lists the peer-pod nodes with their limit, use and utilisation, and leaves other nodes out', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-b', { used: 9 }),
          nodeCapacity('worker-a', { used: 2, desired: 12, advertised: 10, drift: 'differs' }),
          unrelatedNodeCapacity('master-0'),
        ]),
      });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(nodeNames()).toEqual(['worker-a', 'worker-b']);
      const cells = within(cellsOf('worker-a'))
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
      expect(cells.slice(0, 5)).toEqual(['worker-a', 'peerpodconfig-openshift', '10 (should be 12)', '2', '8']);
      expect(within(cellsOf('worker-a')).getByRole('link', { name: 'worker-a' })).toHaveAttribute(
        'href',
        '/k8s/cluster/core~v1~Node/worker-a',
      );
      expect(within(cellsOf('worker-a')).getByText('Differs from limit')).toBeInTheDocument();
      expect(within(cellsOf('worker-b')).getByText('Advertised')).toBeInTheDocument();
      expect(screen.queryByText('master-0')).not.toBeInTheDocument();
    });

    it('colours the utilisation bar by how full the node is', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-low', { used: 2 }),
          nodeCapacity('worker-high', { used: 8 }),
          nodeCapacity('worker-full', { used: 10 }),
          nodeCapacity('worker-over', { used: 12, allocatable: 10, overcommitted: true }),
        ]),
      });

      renderTab();

      const bar = async (node: string) =>
        (await screen.findByRole('progressbar', { name: `VM utilisation of ${node}` })).closest('.pf-v6-c-progress');
      expect(await bar('worker-low')).not.toHaveClass('pf-m-warning', 'pf-m-danger');
      expect(await bar('worker-high')).toHaveClass('pf-m-warning');
      expect(await bar('worker-full')).toHaveClass('pf-m-danger');
      expect(await bar('worker-over')).toHaveClass('pf-m-danger');
      expect(screen.getByRole('progressbar', { name: 'VM utilisation of worker-high' })).toHaveAttribute(
        'aria-valuetext',
        '8 of 10 VMs in use',
      );
      expect(within(cellsOf('worker-over')).getByText('Overcommitted')).toBeInTheDocument();
    });

    it('labels overrides, CAA-owned nodes, pending pods, orphan VMs and configuration problems', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-a', { source: 'override', override: 4, desired: 4 }),
          nodeCapacity('worker-b', { caaOwner: 'uid-1' }),
          nodeCapacity('worker-c', { used: 2, pendingHere: 2 }),
          nodeCapacity('worker-d', { vms: [{ id: 'i-9', name: 'podvm-gone' }] }),
          nodeCapacity('worker-e', {
            desiredState: 'undetermined',
            desired: null,
            problems: ['spec.limit "ten" is not accepted'],
          }),
        ]),
      });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      const [, limitFrom, , , , , , status] = within(cellsOf('worker-a')).getAllByRole('cell');
      expect(limitFrom).toHaveTextContent('Override');
      expect(within(status!).getByText('Override')).toBeInTheDocument();
      expect(within(cellsOf('worker-b')).getByText('Managed by CAA')).toBeInTheDocument();
      expect(within(cellsOf('worker-c')).getByText('Pending here: 2')).toBeInTheDocument();
      expect(within(cellsOf('worker-d')).getByText('Orphan VMs: 1')).toBeInTheDocument();
      expect(within(cellsOf('worker-e')).getByText('Configuration problem')).toBeInTheDocument();
    });

    it('warns that another controller writes the VM capacity: who, where, how often, and what to do', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-a', {
            source: 'override',
            override: 2,
            desired: 2,
            otherWriters: ['manager'],
            flaps: 3,
            lastFlap: { at: '2025-01-01T11:59:00Z', writer: 'manager' },
          }),
          nodeCapacity('worker-b'),
        ]),
      });

      renderTab();

      const alert = await screen.findByRole('heading', {
        name: /Another controller also writes the VM capacity of nodes/,
      });
      const body = alert.closest('.pf-v6-c-alert') as HTMLElement;
      expect(body).toHaveTextContent(
        'manager also writes kata.peerpods.io/vm, on 1 nodes, and changed a node away from its limit 3 times since the backend started.',
      );
      expect(within(body).getByText(/use node overrides only to raise a node's limit/)).toBeInTheDocument();
      expect(within(body).getByText(/Give the PeerPodConfig an explicit nodeSelector/)).toBeInTheDocument();
      expect(within(cellsOf('worker-a')).getByText('Another writer')).toBeInTheDocument();
      expect(within(cellsOf('worker-b')).queryByText('Another writer')).not.toBeInTheDocument();
    });

    it('shows no such warning while only this console writes the VM capacity', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a')]) });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(screen.queryByText(/Another controller also writes/)).not.toBeInTheDocument();
      expect(screen.queryByText('Another writer')).not.toBeInTheDocument();
    });

    it('lists pending and unaccounted peer pods with the reason and what to do', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 10 })], {
          pending: [
            {
              namespace: 'demo',
              name: 'web-3',
              since: '2025-01-01T11:00:00Z',
              message: '0/5 nodes are available: 5 Insufficient kata.peerpods.io/vm.',
              pinnedNode: null,
            },
          ],
          unaccounted: [
            {
              namespace: 'kube-system',
              name: 'escaped',
              nodeName: 'worker-a',
              phase: 'Running',
              reason:
                "no kata.peerpods.io/vm request: the scheduler does not count it against any node's VM limit (created in a namespace the webhook excludes, or while the webhook was not running)",
            },
          ],
        }),
      });

      renderTab();

      const pending = await screen.findByRole('grid', { name: 'Peer pods waiting for capacity' });
      const [pendingRow] = within(pending).getAllByRole('row').slice(1);
      expect(within(pendingRow!).getByRole('link', { name: 'web-3' })).toHaveAttribute(
        'href',
        '/k8s/ns/demo/core~v1~Pod/web-3',
      );
      expect(pendingRow).toHaveTextContent('0/5 nodes are available: 5 Insufficient kata.peerpods.io/vm.');
      expect(within(pendingRow!).getByText('2025-01-01T11:00:00.000Z')).toBeInTheDocument();
      expect(screen.getByText(/The last column says what lets each one run/)).toBeInTheDocument();

      const unaccounted = screen.getByRole('grid', { name: 'Unaccounted peer pods' });
      const [unaccountedRow] = within(unaccounted).getAllByRole('row').slice(1);
      expect(within(unaccountedRow!).getByRole('link', { name: 'escaped' })).toBeInTheDocument();
      expect(within(unaccountedRow!).getByRole('link', { name: 'worker-a' })).toBeInTheDocument();
      expect(unaccountedRow).toHaveTextContent(
        'No kata.peerpods.io/vm request: created in a namespace the webhook excludes, or while the webhook was not running.',
      );
      expect(screen.getByText('These peer pods escape the VM limit')).toBeInTheDocument();
      expect(screen.getByText(/What to do: delete and re-create each of them in a namespace the webhook mutates/));
    });

    it('marks nodes with peer pods pinned to them and pending, and explains on click why only that node helps', async () => {
      const user = userEvent.setup();
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-a', { used: 10, pendingPinned: 2 }),
          nodeCapacity('worker-4', { source: 'override', override: 1, desired: 1, used: 1, pendingPinned: 2 }),
        ]),
      });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      await user.click(within(cellsOf('worker-a')).getByRole('button', { name: '2 pinned pending' }));
      expect(await screen.findByRole('dialog', { name: 'Pinned to worker-a' })).toHaveTextContent(
        /A higher PeerPodConfig limit or an override on this node, or a VM freed here, lets them run/,
      );
      // On a node with an override, the PeerPodConfig limit is no help, and the popover says so.
      await user.click(within(cellsOf('worker-4')).getByRole('button', { name: '2 pinned pending' }));
      expect(await screen.findByRole('dialog', { name: 'Pinned to worker-4' })).toHaveTextContent(
        /Only a higher override on this node, or a VM freed here, lets them run: the PeerPodConfig limit does not apply to this node/,
      );
    });

    describe('what lets each pending pod run', () => {
      const pendingPod = (name: string, pinnedNode: string | null) => ({
        namespace: 'demo',
        name,
        since: null,
        message: 'no VM',
        pinnedNode,
      });

      const servePending = () => {
        withConfig();
        fakeCluster.setObjects(NodeModel, [node('worker-a'), node('worker-4'), node('worker-x')]);
        serveBackend({
          '/capacity': capacitySummary(
            [
              nodeCapacity('worker-a', { used: 10 }),
              nodeCapacity('worker-4', { source: 'override', override: 1, desired: 1, used: 1, pendingPinned: 1 }),
              { ...unrelatedNodeCapacity('worker-x'), pendingPinned: 1 },
            ],
            {
              pending: [
                pendingPod('any-0', null),
                pendingPod('nightly-report-1', 'worker-4'),
                pendingPod('pinned-a', 'worker-a'),
                pendingPod('pinned-x', 'worker-x'),
              ],
            },
          ),
        });
      };

      const pendingRow = async (pod: string) => {
        const pending = await screen.findByRole('grid', { name: 'Peer pods waiting for capacity' });
        const row = within(pending)
          .getAllByRole('row')
          .find((candidate) => within(candidate).queryByRole('link', { name: pod }));
        if (!row) throw new Error(`no pending row for ${pod}`);
        return row;
      };

      it('offers the limit for a pod any node may take', async () => {
        const user = userEvent.setup();
        servePending();

        renderTab();

        const row = await pendingRow('any-0');
        expect(row).toHaveTextContent('Any node');
        expect(row).toHaveTextContent('A higher limit, or a VM freed on any node');
        expect(within(row).queryByRole('button', { name: /override/ })).not.toBeInTheDocument();
        await user.click(within(row).getByRole('button', { name: 'Raise the VM limit' }));
        expect(screen.getByRole('dialog', { name: 'Edit the VM limit per node' })).toBeInTheDocument();
      });

      it('offers only the override for a pod pinned to a node with an override, not the limit', async () => {
        const user = userEvent.setup();
        servePending();

        renderTab();

        const row = await pendingRow('nightly-report-1');
        expect(within(row).getByRole('link', { name: 'worker-4' })).toBeInTheDocument();
        expect(row).toHaveTextContent(
          'A higher override on worker-4, or a VM freed there; the limit does not apply to that node',
        );
        expect(within(row).queryByRole('button', { name: 'Raise the VM limit' })).not.toBeInTheDocument();
        await user.click(within(row).getByRole('button', { name: 'Raise the override on worker-4' }));
        expect(screen.getByRole('dialog', { name: 'VM limit override' })).toHaveTextContent('Node worker-4');
        expect(screen.getByText(/A pod pinned to one node waits for that node only/)).toBeInTheDocument();
      });

      it('offers the limit or the override for a pod pinned to a node the PeerPodConfig governs', async () => {
        servePending();

        renderTab();

        const row = await pendingRow('pinned-a');
        expect(row).toHaveTextContent('A higher limit or an override on worker-a, or a VM freed there');
        expect(within(row).getByRole('button', { name: 'Raise the VM limit' })).toBeInTheDocument();
        expect(within(row).getByRole('button', { name: 'Set an override on worker-a' })).toBeInTheDocument();
      });

      it('offers only an override for a pod pinned to a node no PeerPodConfig selects', async () => {
        servePending();

        renderTab();

        const row = await pendingRow('pinned-x');
        expect(row).toHaveTextContent('An override on worker-x: no PeerPodConfig selects that node');
        expect(within(row).queryByRole('button', { name: 'Raise the VM limit' })).not.toBeInTheDocument();
        expect(within(row).getByRole('button', { name: 'Set an override on worker-x' })).toBeInTheDocument();
      });
    });

    it('says once per list that pod names are hidden when the user may not list pods, and links no pod', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 10 })], {
          podNames: 'hidden',
          pending: [
            {
              namespace: null,
              name: null,
              since: null,
              message: '0/5 nodes are available: 5 Insufficient vm.',
              pinnedNode: null,
            },
            {
              namespace: null,
              name: null,
              since: null,
              message: '0/5 nodes are available: 5 Insufficient vm.',
              pinnedNode: null,
            },
          ],
          unaccounted: [{ namespace: null, name: null, nodeName: 'worker-a', phase: 'Running', reason: 'no request' }],
        }),
      });

      renderTab();

      const pending = await screen.findByRole('grid', { name: 'Peer pods waiting for capacity' });
      const unaccounted = screen.getByRole('grid', { name: 'Unaccounted peer pods' });
      expect(screen.getAllByText('Pod names hidden: you may not list pods in all namespaces')).toHaveLength(2);
      expect(within(pending).queryByRole('columnheader', { name: 'Pod' })).not.toBeInTheDocument();
      expect(within(pending).queryByRole('columnheader', { name: 'Namespace' })).not.toBeInTheDocument();
      const pendingRows = within(pending).getAllByRole('row').slice(1);
      expect(pendingRows).toHaveLength(2);
      expect(pendingRows[0]).toHaveTextContent('0/5 nodes are available: 5 Insufficient vm.');
      expect(within(pending).queryByRole('link')).not.toBeInTheDocument();
      const [unaccountedRow] = within(unaccounted).getAllByRole('row').slice(1);
      expect(
        within(unaccountedRow!)
          .getAllByRole('link')
          .map((link) => link.textContent),
      ).toEqual(['worker-a']);
      expect(unaccountedRow).toHaveTextContent('Running');
    });

    it('does not mention hidden pod names when the user may list pods', async () => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a')], {
          pending: [{ namespace: 'demo', name: 'web-3', since: null, message: 'Insufficient vm', pinnedNode: null }],
        }),
      });

      renderTab();

      await screen.findByRole('link', { name: 'web-3' });
      expect(screen.queryByText(/Pod names hidden/)).not.toBeInTheDocument();
    });

    it('says so when no peer pod waits and none escapes the accounting', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a')]) });

      renderTab();

      expect(await screen.findByText('No peer pod is waiting for capacity.')).toBeInTheDocument();
      expect(screen.getByText('Every peer pod requests kata.peerpods.io/vm: the scheduler counts all of them.'));
    });
  });

  describe('node table', () => {
    beforeEach(() => {
      withConfig();
      serveBackend({
        '/capacity': capacitySummary([
          nodeCapacity('worker-10', { used: 1 }),
          nodeCapacity('worker-2', { used: 7 }),
          nodeCapacity('worker-1', { used: 4, drift: 'differs', advertised: 8 }),
          nodeCapacity('infra-1', { used: 0, vms: [{ id: 'i-7', name: 'podvm-x' }] }),
          nodeCapacity('worker-3', { used: 12, allocatable: 10, overcommitted: true }),
        ]),
      });
    });

    it('sorts by name in natural order first, then by the column header the user picks', async () => {
      const user = userEvent.setup();
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(nodeNames()).toEqual(['infra-1', 'worker-1', 'worker-2', 'worker-3', 'worker-10']);

      await user.click(within(nodeTable()).getByRole('button', { name: 'In use' }));
      expect(nodeNames()).toEqual(['infra-1', 'worker-10', 'worker-1', 'worker-2', 'worker-3']);

      await user.click(within(nodeTable()).getByRole('button', { name: 'In use' }));
      expect(nodeNames()).toEqual(['worker-3', 'worker-2', 'worker-1', 'worker-10', 'infra-1']);

      await user.click(within(nodeTable()).getByRole('button', { name: 'Node' }));
      expect(nodeNames()).toEqual(['infra-1', 'worker-1', 'worker-2', 'worker-3', 'worker-10']);
    });

    it('filters by node name', async () => {
      const user = userEvent.setup();
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });

      await user.type(screen.getByRole('textbox', { name: 'Filter nodes by name' }), 'WORKER-1');

      expect(nodeNames()).toEqual(['worker-1', 'worker-10']);
    });

    it.each([
      ['Drift', ['worker-1']],
      ['Orphan VMs', ['infra-1']],
      ['Overcommitted', ['worker-3']],
      ['Any problem', ['infra-1', 'worker-1', 'worker-3']],
    ])('shows only the nodes with the problem picked in the status filter: %s', async (filter, expected) => {
      const user = userEvent.setup();
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });

      await user.click(screen.getByRole('button', { name: 'Filter nodes by status' }));
      // An option's name starts with its label; a description may follow.
      await user.click(screen.getByRole('option', { name: new RegExp(`^${filter}`) }));

      expect(nodeNames()).toEqual(expected);
    });

    it('says what drift means where it is picked', async () => {
      const user = userEvent.setup();
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });

      await user.click(screen.getByRole('button', { name: 'Filter nodes by status' }));

      expect(
        within(screen.getByRole('option', { name: /^Drift/ })).getByText(
          'Nodes whose advertised peer pod VM capacity is not what their limit or override says: not advertised yet, a different number, or advertised although no limit applies.',
        ),
      ).toBeInTheDocument();
    });

    it('says when no node matches the filters and clears them on request', async () => {
      const user = userEvent.setup();
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });

      await user.click(screen.getByRole('button', { name: 'Filter nodes by status' }));
      await user.click(screen.getByRole('option', { name: 'Pending peer pods' }));

      expect(screen.getByRole('heading', { name: 'No nodes match the filters' })).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Clear all filters' }));
      expect(nodeNames()).toHaveLength(5);
    });
  });

  describe('with 1,000 nodes', () => {
    it('renders one page of 20 rows and pages through the rest', async () => {
      const user = userEvent.setup();
      withConfig();
      serveBackend({ '/capacity': capacitySummary(manyNodes(1000)) });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(nodeNames()).toHaveLength(20);
      expect(nodeNames()[0]).toBe('worker-0001');
      expect(screen.getAllByRole('progressbar', { name: /^VM utilisation of / })).toHaveLength(20);

      const [bottom] = screen.getAllByRole('navigation', { name: 'Node table pages, bottom' });
      await user.click(within(bottom!).getByRole('button', { name: 'Go to the next page' }));
      expect(nodeNames()[0]).toBe('worker-0021');

      await user.click(within(bottom!).getByRole('button', { name: 'Go to the last page' }));
      expect(nodeNames()).toEqual(['worker-0981', ...nodeNames().slice(1)]);
      expect(nodeNames().at(-1)).toBe('worker-1000');
    });

    it('goes back to the first page when a filter changes', async () => {
      const user = userEvent.setup();
      withConfig();
      serveBackend({ '/capacity': capacitySummary(manyNodes(1000)) });
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      const [bottom] = screen.getAllByRole('navigation', { name: 'Node table pages, bottom' });
      await user.click(within(bottom!).getByRole('button', { name: 'Go to the last page' }));

      await user.type(screen.getByRole('textbox', { name: 'Filter nodes by name' }), 'worker-09');

      expect(nodeNames()[0]).toBe('worker-0900');
      expect(nodeNames()).toHaveLength(20);
    });
  });

  describe('live updates', () => {
    beforeEach(() => {
      FakeEventSource.reset();
      vi.stubGlobal('EventSource', FakeEventSource);
    });
    afterEach(() => vi.unstubAllGlobals());

    it('follows the event stream and says that it is live', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 1 })]) });

      renderTab();

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(screen.getByText('Refreshed every 10 s')).toBeInTheDocument();
      // Opened after the read, at its summary's revision: the backend does not send that summary again.
      expect(FakeEventSource.instances[0]!.url).toBe(
        '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1/events?since=1',
      );

      FakeEventSource.emit('capacity', capacitySummary([nodeCapacity('worker-a', { used: 6 })], { revision: 2 }));

      expect(screen.getByText('Live')).toBeInTheDocument();
      expect(within(cellsOf('worker-a')).getAllByRole('cell')[3]).toHaveTextContent('6');

      FakeEventSource.fail();
      expect(screen.getByText('Refreshed every 10 s')).toBeInTheDocument();
    });

    it('follows what changed, as the stream sends it after the first summary', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 1 })]) });
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      const streamed = capacitySummary([nodeCapacity('worker-a', { used: 6 }), nodeCapacity('worker-b')], {
        revision: 2,
      });
      FakeEventSource.emit('capacity', streamed);

      const changed = { ...streamed.nodes[1]!, used: 4, free: 6 };
      FakeEventSource.emit('capacity-delta', {
        from: 2,
        to: 3,
        generatedAt: '2025-01-01T12:00:01.000Z',
        orphans: 0,
        podNames: 'shown',
        nodes: [{ at: 1, remove: 1, insert: [changed] }],
      });

      expect(within(cellsOf('worker-b')).getAllByRole('cell')[3]).toHaveTextContent('4');
      expect(within(cellsOf('worker-a')).getAllByRole('cell')[3]).toHaveTextContent('6');
    });

    it("never leaves a node's open menu over another node when a live update reorders the rows", async () => {
      withConfig();
      const user = userEvent.setup();
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 1 }), nodeCapacity('worker-b', { used: 2 })]),
      });
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      await user.click(within(nodeTable()).getByRole('button', { name: 'In use' }));
      await user.click(within(nodeTable()).getByRole('button', { name: 'In use' }));
      expect(nodeNames()).toEqual(['worker-b', 'worker-a']);
      await user.click(screen.getByRole('button', { name: 'Actions for worker-b' }));
      expect(screen.getByRole('menuitem', { name: 'Set override' })).toBeInTheDocument();

      FakeEventSource.emit(
        'capacity',
        capacitySummary([nodeCapacity('worker-a', { used: 5 }), nodeCapacity('worker-b', { used: 2 })], {
          revision: 2,
        }),
      );

      expect(nodeNames()).toEqual(['worker-a', 'worker-b']);
      expect(screen.queryByRole('menuitem', { name: 'Set override' })).not.toBeInTheDocument();
      for (const node of ['worker-a', 'worker-b']) {
        expect(screen.getByRole('button', { name: `Actions for ${node}` })).toHaveAttribute('aria-expanded', 'false');
      }
    });

    it('when the backend ends the stream because access was taken away, stops streaming and says why', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 1 })]) });
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      FakeEventSource.emit('capacity', capacitySummary([nodeCapacity('worker-a', { used: 6 })], { revision: 2 }));
      expect(screen.getByText('Live')).toBeInTheDocument();

      serveBackend({ '/capacity': httpError(403, 'forbidden') });
      FakeEventSource.emit('end', { reason: 'access' });

      expect(FakeEventSource.instances[0]!.closed).toBe(true);
      expect(await screen.findByText('You are not allowed to read peer pod capacity')).toBeInTheDocument();
      expect(screen.queryByRole('grid', { name: 'Peer pod VM capacity per node' })).not.toBeInTheDocument();
    });

    it('when the stream only ran its course, keeps it and the numbers', async () => {
      withConfig();
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a', { used: 1 })]) });
      renderTab();
      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      FakeEventSource.emit('end', { reason: 'lifetime' });
      expect(FakeEventSource.instances[0]!.closed).toBe(false);
      expect(screen.getByRole('grid', { name: 'Peer pod VM capacity per node' })).toBeInTheDocument();
    });
  });
});
