import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { useHistory } from '../../../hooks/useHistory';
import { serveBackend } from '../../../test/capacityFixtures';
import { historyEntry } from '../../../test/operationsFixtures';
import { httpError } from '../../../test/sdk-mock';
import HistoryPanel from './HistoryPanel';

const Panel = () => <HistoryPanel history={useHistory()} />;

const rows = async () =>
  within(await screen.findByRole('grid', { name: 'Change history' }))
    .getAllByRole('row')
    .slice(1);
const cellTexts = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('History panel', () => {
  it('lists the changes newest first: when, who, what, target, old → new, message', async () => {
    serveBackend({
      '/history': {
        entries: [
          historyEntry({ at: '2025-01-01T10:00:00.000Z' }),
          historyEntry({
            at: '2025-01-01T11:00:00.000Z',
            kind: 'override',
            target: 'worker-a',
            old: null,
            new: '4',
            message: 'bob set the override of worker-a to 4',
            actor: 'bob',
          }),
        ],
      },
    });

    render(<Panel />);

    const [first, second] = await rows();
    expect(cellTexts(first!)).toEqual([
      '2025-01-01T11:00:00.000Z',
      'bob',
      'Node override',
      'worker-a',
      'none → 4',
      'bob set the override of worker-a to 4',
    ]);
    expect(cellTexts(second!)).toEqual([
      '2025-01-01T10:00:00.000Z',
      'alice',
      'VM limit',
      'openshift-sandboxed-containers-operator/peerpodconfig-openshift',
      '10 → 12',
      'alice changed the peer pod VM limit from 10 to 12',
    ]);
  });

  it('marks changes made outside the console with the writer that made them', async () => {
    serveBackend({
      '/history': { entries: [historyEntry({ via: 'outside', actor: 'kubectl-patch', old: '10', new: '3' })] },
    });

    render(<Panel />);

    const [row] = await rows();
    expect(within(row!).getByText('outside the console (kubectl-patch)')).toBeInTheDocument();
  });

  it('shows a dash for changes without a value (port rules, cleanups)', async () => {
    serveBackend({
      '/history': {
        entries: [
          historyEntry({ kind: 'cleanup', target: 'i-0abc, i-0def', old: null, new: null, message: 'deleted 2 VMs' }),
        ],
      },
    });

    render(<Panel />);

    const [row] = await rows();
    expect(cellTexts(row!).slice(2, 5)).toEqual(['Orphan VM cleanup', 'i-0abc, i-0def', '—']);
  });

  it('says when nothing was recorded', async () => {
    serveBackend({ '/history': { entries: [] } });

    render(<Panel />);

    expect(await screen.findByRole('heading', { name: 'No changes recorded yet' })).toBeInTheDocument();
  });

  it('explains a refused read once, with no retry that would be refused again', async () => {
    serveBackend({ '/history': httpError(403, 'user "dev" may not list events') });
    render(<Panel />);

    expect(await screen.findByText('Could not read the history')).toBeInTheDocument();
    expect(screen.getByText(/needs the permission to list events/)).toBeInTheDocument();
    expect(screen.queryByText(/user "dev" may not list events/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('reads again on request after a failure that may clear by itself', async () => {
    const user = userEvent.setup();
    serveBackend({ '/history': httpError(503, 'Service Unavailable') });
    render(<Panel />);

    expect(await screen.findByText('Could not read the history')).toBeInTheDocument();
    serveBackend({ '/history': { entries: [historyEntry()] } });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await rows()).toHaveLength(1);
  });
});
