import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { capacitySummary, nodeCapacity, serveBackend, unrelatedNodeCapacity } from '../../test/capacityFixtures';
import { FakeEventSource } from '../../test/fakeEventSource';
import { httpError } from '../../test/sdk-mock';
import PeerPodsStatusPopup from './PeerPodsStatusPopup';

const renderPopup = () =>
  render(
    <MemoryRouter>
      <PeerPodsStatusPopup />
    </MemoryRouter>,
  );

const totalOf = (term: string) => {
  const list = screen.getByLabelText('Peer pod totals');
  const index = within(list)
    .getAllByRole('term')
    .findIndex((element) => element.textContent === term);
  return within(list).getAllByRole('definition')[index]!;
};

describe('the popover of the Peer pods health item', () => {
  it('shows a spinner while the totals load, and links to the capacity tab', () => {
    renderPopup();

    expect(screen.getByRole('progressbar', { name: 'Loading peer pod capacity' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'View peer pod capacity' })).toHaveAttribute('href', '/peer-pods/capacity');
  });

  it('shows the totals and follows them live', async () => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    serveBackend({
      '/capacity': capacitySummary(
        [nodeCapacity('worker-a', { used: 4 }), nodeCapacity('worker-b', { used: 1, drift: 'differs' })],
        { orphans: 1 },
      ),
    });

    renderPopup();

    await screen.findByLabelText('Peer pod totals');
    expect(totalOf('Capacity')).toHaveTextContent('20');
    expect(totalOf('In use')).toHaveTextContent('5');
    expect(totalOf('Free')).toHaveTextContent('15');
    expect(totalOf('Pending')).toHaveTextContent('0');
    expect(totalOf('Orphans')).toHaveTextContent('1');
    expect(totalOf('Nodes with drift')).toHaveTextContent('1');
    expect(screen.getByText(/Nodes whose advertised peer pod VM capacity is not what their limit/)).toBeInTheDocument();

    FakeEventSource.emit('capacity', capacitySummary([nodeCapacity('worker-a', { used: 9 })], { revision: 3 }));
    expect(totalOf('In use')).toHaveTextContent('9');
    // No drift left: the explanation goes with it.
    expect(screen.queryByText(/Nodes whose advertised peer pod VM capacity/)).not.toBeInTheDocument();
    vi.unstubAllGlobals();
  });

  it('says when no node is set up for peer pods', async () => {
    serveBackend({ '/capacity': capacitySummary([unrelatedNodeCapacity('worker-a')]) });

    renderPopup();

    expect(await screen.findByText(/No node is set up for peer pods/)).toBeInTheDocument();
  });

  it('explains a missing permission and an unreachable backend, briefly', async () => {
    serveBackend({ '/capacity': httpError(403, 'user "dev" may not list nodes (cluster-wide)') });
    const { unmount } = renderPopup();
    const title = await screen.findByRole('heading', { name: /You are not allowed to read peer pod capacity/ });
    // Missing access is information, not an error; retrying cannot change it.
    expect(title.closest('.pf-v6-c-alert')).toHaveClass('pf-m-info');
    expect(screen.getByText(/Reading capacity needs the permission to list nodes/)).toBeInTheDocument();
    expect(screen.queryByText(/may not list nodes \(cluster-wide\)/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    unmount();

    serveBackend({ '/capacity': httpError(503, 'Service Unavailable') });
    renderPopup();
    expect(await screen.findByText('The peer pods backend is not reachable')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Copy the commands' })).not.toBeInTheDocument();
  });
});
