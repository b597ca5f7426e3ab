import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';

import { NodeModel } from '../../models/Node';
import { PeerPodConfigModel } from '../../models/PeerPodConfig';
import { KATA_NODE_LABEL, node, peerPodConfig } from '../../test/fixtures';
import { fakeCluster, httpError } from '../../test/sdk-mock';
import PeerPodsPage from './PeerPodsPage';

const CurrentPath = () => <output aria-label="current path">{useLocation().pathname}</output>;

/** Renders the page under the same paths its console.page/route extension declares. */
const renderPage = (path = '/peer-pods') =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/peer-pods" element={<PeerPodsPage />} />
        <Route path="/peer-pods/:tab" element={<PeerPodsPage />} />
      </Routes>
      <CurrentPath />
    </MemoryRouter>,
  );

const nodeTableRows = () =>
  within(screen.getByRole('grid', { name: 'Peer pod VM capacity per node' }))
    .getAllByRole('row')
    .slice(1);

/** The <dd> that belongs to the <dt> with this text. */
const descriptionOf = (list: HTMLElement, term: string) => {
  const index = within(list)
    .getAllByRole('term')
    .findIndex((element) => element.textContent === term);
  return within(list).getAllByRole('definition')[index];
};

describe('Peer pods page', () => {
  describe('layout', () => {
    it('shows the page title and the four tabs, with Capacity selected', () => {
      renderPage();

      expect(screen.getByRole('heading', { level: 1, name: 'Peer pods' })).toBeInTheDocument();
      const tabs = screen.getAllByRole('tab').map((tab) => tab.textContent);
      expect(tabs).toEqual(['Setup', 'Capacity', 'Virtual machines', 'Network setup']);
      expect(screen.getByRole('tab', { name: 'Capacity' })).toHaveAttribute('aria-selected', 'true');
    });

    it('opens the tab named in the address', () => {
      renderPage('/peer-pods/network-setup');

      expect(screen.getByRole('tab', { name: 'Network setup' })).toHaveAttribute('aria-selected', 'true');
    });

    it('puts the selected tab in the address', async () => {
      renderPage();

      await userEvent.click(screen.getByRole('tab', { name: 'Virtual machines' }));

      expect(screen.getByRole('tab', { name: 'Virtual machines' })).toHaveAttribute('aria-selected', 'true');
      expect(screen.getByLabelText('current path')).toHaveTextContent('/peer-pods/virtual-machines');
    });

    it.each([
      ['setup', 'The setup checklist'],
      ['virtual-machines', 'The inventory of peer pod virtual machines'],
      ['network-setup', 'The wizard that opens the ports'],
    ])('says that the %s tab is not available in this version instead of showing made-up data', (tab, description) => {
      renderPage(`/peer-pods/${tab}`);

      expect(screen.getByRole('heading', { name: 'Not available in this version' })).toBeInTheDocument();
      expect(screen.getByText(new RegExp(`^${description}`))).toBeInTheDocument();
      expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    });
  });

  describe('Capacity tab', () => {
    it('shows a spinner while the PeerPodConfig loads', () => {
      fakeCluster.setLoading(PeerPodConfigModel);

      renderPage();

      expect(screen.getByRole('progressbar', { name: 'Loading the PeerPodConfig' })).toBeInTheDocument();
    });

    it('explains how to create a PeerPodConfig when the cluster has none', async () => {
      const user = userEvent.setup();
      fakeCluster.setObjects(PeerPodConfigModel, []);

      renderPage();

      expect(screen.getByRole('heading', { name: 'No PeerPodConfig found' })).toBeInTheDocument();
      expect(
        screen.getByText(
          /there is no PeerPodConfig peerpodconfig-openshift in the namespace openshift-sandboxed-containers-operator/,
        ),
      ).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Copy the PeerPodConfig YAML' }));
      const copied = await navigator.clipboard.readText();
      expect(copied).toMatch(/^kind: PeerPodConfig$/m);
      expect(copied).toMatch(/^ {2}name: peerpodconfig-openshift$/m);
      expect(copied).toMatch(/^ {2}namespace: openshift-sandboxed-containers-operator$/m);
      expect(screen.getByRole('link', { name: 'Create PeerPodConfig' })).toHaveAttribute(
        'href',
        '/k8s/ns/openshift-sandboxed-containers-operator/confidentialcontainers.org~v1alpha1~PeerPodConfig/~new',
      );
    });

    it('tells a user without read access to ask for it', () => {
      fakeCluster.setError(PeerPodConfigModel, httpError(403, 'peerpodconfigs is forbidden'));

      renderPage();

      expect(screen.getByRole('heading', { name: /Could not load the PeerPodConfig/ })).toBeInTheDocument();
      expect(
        screen.getByText(
          /You are not allowed to read PeerPodConfigs in the namespace openshift-sandboxed-containers-operator/,
        ),
      ).toBeInTheDocument();
      expect(screen.getByText('Error: peerpodconfigs is forbidden')).toBeInTheDocument();
    });

    it('shows the API error when the PeerPodConfig cannot be read for another reason', () => {
      fakeCluster.setError(PeerPodConfigModel, httpError(500, 'etcdserver: request timed out'));

      renderPage();

      expect(screen.getByRole('heading', { name: /Could not load the PeerPodConfig/ })).toBeInTheDocument();
      expect(screen.getByText('Error: etcdserver: request timed out')).toBeInTheDocument();
    });

    it('shows the limit and node selector of the PeerPodConfig', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
      fakeCluster.setObjects(NodeModel, []);

      renderPage();

      const summary = screen.getByLabelText('PeerPodConfig summary');
      expect(within(summary).getByRole('link', { name: 'peerpodconfig-openshift' })).toBeInTheDocument();
      expect(descriptionOf(summary, 'VM limit per node')).toHaveTextContent('10');
      expect(descriptionOf(summary, 'Node selector')).toHaveTextContent(KATA_NODE_LABEL);
    });

    it('lists only the nodes the node selector matches, with the VM capacity each advertises', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
      fakeCluster.setObjects(NodeModel, [
        node('worker-b', { vmCapacity: '10', vmAllocatable: '10' }),
        node('worker-a'),
        node('master-0', { labels: { 'node-role.kubernetes.io/master': '' } }),
      ]);

      renderPage();

      const rows = nodeTableRows();
      expect(rows).toHaveLength(2);
      const [first, second] = rows.map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );
      expect(first).toEqual(['worker-a', 'Not advertised', '—', '—']);
      expect(second).toEqual(['worker-b', 'Advertised', '10', '10']);
      expect(within(rows[0]!).getByRole('link', { name: 'worker-a' })).toBeInTheDocument();
      expect(screen.queryByText('master-0')).not.toBeInTheDocument();
    });

    it('flags a node that advertises a different amount than the limit', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
      fakeCluster.setObjects(NodeModel, [node('worker-a', { vmCapacity: '5', vmAllocatable: '5' })]);

      renderPage();

      const [row] = nodeTableRows();
      expect(within(row!).getByText('Differs from limit')).toBeInTheDocument();
    });

    it('shows a spinner while the nodes load', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig()]);
      fakeCluster.setLoading(NodeModel);

      renderPage();

      expect(screen.getByRole('progressbar', { name: 'Loading nodes' })).toBeInTheDocument();
    });

    it('shows the API error when the nodes cannot be listed', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig()]);
      fakeCluster.setError(NodeModel, httpError(403, 'nodes is forbidden: cannot list resource "nodes"'));

      renderPage();

      expect(screen.getByRole('heading', { name: /Could not load the nodes/ })).toBeInTheDocument();
      expect(screen.getByText('nodes is forbidden: cannot list resource "nodes"')).toBeInTheDocument();
    });

    it('says which labels to set when no node matches the node selector', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ nodeSelector: { 'peer-pods': 'enabled' } })]);
      fakeCluster.setObjects(NodeModel, [node('worker-a')]);

      renderPage();

      expect(screen.getByRole('heading', { name: 'No nodes match the node selector' })).toBeInTheDocument();
      expect(screen.getByText(/Peer pods run only on nodes with the labels peer-pods=enabled\./)).toBeInTheDocument();
    });
  });
});
