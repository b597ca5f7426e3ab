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

    FakeEventSource.emit('capacity', capacitySummary([nodeCapacity('worker-a', { used: 9 })], { revision: 3 }));
    expect(totalOf('In use')).toHaveTextContent('9');
    vi.unstubAllGlobals();
  });

  it('says when no node is set up for peer pods', async () => {
    serveBackend({ '/capacity': capacitySummary([unrelatedNodeCapacity('worker-a')]) });

    renderPopup();

    expect(await screen.findByText(/No node is set up for peer pods/)).toBeInTheDocument();
  });

  it('explains a missing permission and an unreachable backend, briefly', async () => {
    serveBackend({ '/capacity': httpError(403, 'forbidden') });
    const { unmount } = renderPopup();
    expect(await screen.findByText('You are not allowed to read peer pod capacity')).toBeInTheDocument();
    unmount();

    serveBackend({ '/capacity': httpError(503, 'Service Unavailable') });
    renderPopup();
    expect(await screen.findByText('The peer pods backend is not reachable')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Copy the commands' })).not.toBeInTheDocument();
  });
});
