import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom-v5-compat';

import { PeerPodConfigModel } from '../../models/PeerPodConfig';
import { capacitySummary, nodeCapacity, serveBackend } from '../../test/capacityFixtures';
import { KATA_NODE_LABEL, peerPodConfig } from '../../test/fixtures';
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
    it('shows the page title and the four tabs, with Setup selected', () => {
      renderPage();

      expect(screen.getByRole('heading', { level: 1, name: 'Peer pods' })).toBeInTheDocument();
      const tabs = screen.getAllByRole('tab').map((tab) => tab.textContent);
      expect(tabs).toEqual(['Setup', 'Capacity', 'Virtual machines', 'Network setup']);
      expect(screen.getByRole('tab', { name: 'Setup' })).toHaveAttribute('aria-selected', 'true');
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

    it('shows the virtual machine inventory in the Virtual machines tab', () => {
      renderPage('/peer-pods/virtual-machines');

      expect(screen.getByRole('progressbar', { name: 'Loading the virtual machine inventory' })).toBeInTheDocument();
    });

    it('shows the port wizard in the Network setup tab', () => {
      renderPage('/peer-pods/network-setup');

      expect(screen.getByRole('navigation', { name: 'Port setup steps' })).toBeInTheDocument();
    });
  });

  // The Capacity tab's states, table, filters and limit editor are specified in capacity/*.test.tsx;
  // these check that the page shows it at its address.
  describe('Capacity tab', () => {
    it('shows a spinner while the PeerPodConfig loads', () => {
      fakeCluster.setLoading(PeerPodConfigModel);

      renderPage('/peer-pods/capacity');

      expect(screen.getByRole('progressbar', { name: 'Loading the PeerPodConfig' })).toBeInTheDocument();
    });

    it('explains how to create a PeerPodConfig when the cluster has none', async () => {
      const user = userEvent.setup();
      fakeCluster.setObjects(PeerPodConfigModel, []);

      renderPage('/peer-pods/capacity');

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

    it('tells a user without read access, calmly and once, to ask for it', () => {
      fakeCluster.setError(PeerPodConfigModel, httpError(403, 'peerpodconfigs is forbidden'));

      renderPage('/peer-pods/capacity');

      const title = screen.getByRole('heading', { name: /Could not load the PeerPodConfig/ });
      expect(title.closest('.pf-v6-c-alert')).toHaveClass('pf-m-info');
      expect(
        screen.getByText(
          /You are not allowed to read PeerPodConfigs in the namespace openshift-sandboxed-containers-operator/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/peerpodconfigs is forbidden/)).not.toBeInTheDocument();
    });

    it('shows the API error when the PeerPodConfig cannot be read for another reason', () => {
      fakeCluster.setError(PeerPodConfigModel, httpError(500, 'etcdserver: request timed out'));

      renderPage('/peer-pods/capacity');

      expect(screen.getByRole('heading', { name: /Could not load the PeerPodConfig/ })).toBeInTheDocument();
      expect(screen.getByText('Error: etcdserver: request timed out')).toBeInTheDocument();
    });

    it('shows the limit and node selector of the PeerPodConfig', () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);

      renderPage('/peer-pods/capacity');

      const summary = screen.getByLabelText('PeerPodConfig summary');
      expect(within(summary).getByRole('link', { name: 'peerpodconfig-openshift' })).toBeInTheDocument();
      expect(descriptionOf(summary, 'VM limit per node')).toHaveTextContent('10');
      expect(descriptionOf(summary, 'Node selector')).toHaveTextContent(KATA_NODE_LABEL);
    });

    it("lists the nodes of the backend's capacity model", async () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
      serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-b'), nodeCapacity('worker-a')]) });

      renderPage('/peer-pods/capacity');

      await screen.findByRole('grid', { name: 'Peer pod VM capacity per node' });
      expect(nodeTableRows().map((row) => within(row).getByRole('link').textContent)).toEqual(['worker-a', 'worker-b']);
    });
  });
});
