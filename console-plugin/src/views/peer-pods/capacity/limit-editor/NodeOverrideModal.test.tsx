import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { NodeKind, NodeModel } from '../../../../models/Node';
import { PeerPodConfigModel } from '../../../../models/PeerPodConfig';
import { backendCalls, capacitySummary, nodeCapacity, serveBackend } from '../../../../test/capacityFixtures';
import { FakeEventSource } from '../../../../test/fakeEventSource';
import { ADMIN_PERMISSIONS, node, peerPodConfig } from '../../../../test/fixtures';
import { capacityRoom, roomWith64FreeVcpus } from '../../../../test/roomFixtures';
import { consoleFetchJSON, fakeAccess, fakeCluster, httpError, k8sPatch } from '../../../../test/sdk-mock';
import CapacityTab from '../CapacityTab';

const OVERRIDE = 'peerpods.openshift.io/vm-limit';

const annotated = (name: string, annotations: Record<string, string> | undefined): NodeKind => {
  const base = node(name);
  return { ...base, metadata: { ...base.metadata, ...(annotations ? { annotations } : {}) } };
};

const BACKEND = '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1';

/** The backend's answer to an override write. */
const changed = (target: string, old: string | null, value: string | null) => ({
  target,
  old,
  new: value,
  event: { namespace: 'default', name: `${target}.0123456789abcdef` },
});

const renderTab = () =>
  render(
    <MemoryRouter>
      <CapacityTab />
    </MemoryRouter>,
  );

/** Picks `action` ("Set override", "Edit override") in the node's row actions. */
const openOverride = async (user: ReturnType<typeof userEvent.setup>, node: string, action: string) => {
  await user.click(await screen.findByRole('button', { name: `Actions for ${node}` }));
  await user.click(screen.getByRole('menuitem', { name: action }));
  return screen.getByRole('dialog', { name: 'VM limit override' });
};

const field = (dialog: HTMLElement) => within(dialog).getByRole('textbox', { name: /VM limit override/ });

/**
 * A PeerPodConfig with limit 10 and three nodes: worker-a on it with 6 peer pods running, worker-b
 * at its override of 4, worker-c advertised by cloud-api-adaptor (at 10). The backend answers
 * `/capacity` with them, and `more` besides.
 */
const arrangeCluster = (more: Record<string, unknown> = {}) => {
  FakeEventSource.reset();
  vi.stubGlobal('EventSource', FakeEventSource);
  fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
  serveBackend({
    '/capacity': capacitySummary([
      nodeCapacity('worker-a', { used: 6 }),
      nodeCapacity('worker-b', { source: 'override', override: 4, desired: 4 }),
      nodeCapacity('worker-c', { caaOwner: 'uid-1' }),
    ]),
    ...more,
  });
  fakeCluster.setObjects(NodeModel, [
    annotated('worker-a', { 'machine.openshift.io/machine': 'm-a' }),
    annotated('worker-b', { [OVERRIDE]: '4' }),
    annotated('worker-c', undefined),
  ]);
};

afterEach(() => vi.unstubAllGlobals());

describe('Node override editor', () => {
  beforeEach(() => arrangeCluster());

  it('sends the override to the backend, which writes the annotation as the user', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockResolvedValue(changed('worker-a', null, '20'));
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');
    expect(
      within(dialog).getByText(/takes its limit from the PeerPodConfig peerpodconfig-openshift/),
    ).toBeInTheDocument();
    expect(field(dialog)).toHaveValue('');

    await user.type(field(dialog), '20');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND}/nodes/worker-a/override`, { override: 20 });
    expect(k8sPatch).not.toHaveBeenCalled();
    expect(
      await within(dialog).findByText('The override is saved: worker-a may run 20 peer pod VMs.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Waiting for worker-a to advertise its new limit…')).toBeInTheDocument();
  });

  it('sets an override on a node without annotations', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockResolvedValue(changed('worker-c', null, '3'));
    renderTab();
    const dialog = await openOverride(user, 'worker-c', 'Set override');
    expect(within(dialog).getByText('Managed by cloud-api-adaptor')).toBeInTheDocument();

    await user.type(field(dialog), '3');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND}/nodes/worker-c/override`, { override: 3 });
  });

  it('replaces an existing override, and shows when the node advertises it', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockResolvedValue(changed('worker-b', '4', '6'));
    renderTab();
    const dialog = await openOverride(user, 'worker-b', 'Edit override');
    expect(field(dialog)).toHaveValue('4');

    await user.clear(field(dialog));
    await user.type(field(dialog), '6');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND}/nodes/worker-b/override`, { override: 6 });
    expect(await within(dialog).findByText('Waiting for worker-b to advertise its new limit…')).toBeInTheDocument();

    FakeEventSource.emit(
      'capacity',
      capacitySummary([nodeCapacity('worker-b', { source: 'override', override: 6, desired: 6 })], { revision: 9 }),
    );
    expect(within(dialog).getByText('worker-b advertises 6 VMs')).toBeInTheDocument();
  });

  it('offers to set an override on a node without one, and to edit or remove one that is set', async () => {
    const user = userEvent.setup();
    renderTab();

    await user.click(await screen.findByRole('button', { name: 'Actions for worker-a' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Set override']);
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Actions for worker-b' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Edit override',
      'Remove override',
    ]);
  });

  it('removes the override, confirmed in the editor', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockResolvedValue(changed('worker-b', '4', null));
    renderTab();
    const dialog = await openOverride(user, 'worker-b', 'Remove override');

    await user.click(within(dialog).getByRole('button', { name: 'Remove override' }));

    expect(consoleFetchJSON.put).toHaveBeenCalledWith(`${BACKEND}/nodes/worker-b/override`, { override: null });
    expect(
      await within(dialog).findByText(
        'The override is removed: worker-b takes its limit from its PeerPodConfig again.',
      ),
    ).toBeInTheDocument();
  });

  it('validates the override like the limit and warns when it is below what the node runs', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '-3');
    expect(within(dialog).getByText('The limit cannot be negative. Enter 0 or more; 0 stops new peer pods.'));
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeDisabled();

    await user.clear(field(dialog));
    await user.type(field(dialog), '2');
    expect(within(dialog).getByText('Peer pods running on worker-a: 6, more than 2')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeEnabled();
  });

  it('shows no error in the empty field before anything is typed, and asks for a number once it is left empty', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    expect(field(dialog)).toHaveValue('');
    expect(field(dialog)).not.toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByText('Enter a number of VMs, for example 10.')).not.toBeInTheDocument();
    expect(
      within(dialog).getByText('How many peer pod VMs this node may run, whatever the PeerPodConfig says.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeDisabled();

    await user.tab();

    expect(within(dialog).getByText('Enter a number of VMs, for example 10.')).toBeInTheDocument();
    expect(field(dialog)).toHaveAttribute('aria-invalid', 'true');
  });

  it('says at 0 that no new peer pod VM starts on the node, and otherwise when it takes new ones again', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '0');
    expect(
      within(dialog).getByText('They keep running, but with an override of 0 no new peer pod VM starts on the node.'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/fewer than/)).not.toBeInTheDocument();

    await user.clear(field(dialog));
    await user.type(field(dialog), '1');
    expect(
      within(dialog).getByText(
        'They keep running; the node takes new peer pods again once it runs fewer than its override of 1.',
      ),
    ).toBeInTheDocument();
  });

  it('names the largest override and why, when more is typed', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '100000');

    expect(
      within(dialog).getByText(
        'The limit can be at most 1000: each peer pod is also a pod on its node, and a node runs no more pods than its maxPods (250 by default on OpenShift). Enter 1000 or less.',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeDisabled();
  });

  it("shows a refused write as a missing permission, in the API server's words", async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockRejectedValue(
      httpError(403, 'nodes "worker-a" is forbidden: User "dev" cannot patch resource "nodes"'),
    );
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '4');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(await within(dialog).findByText('You are not allowed to change the node')).toBeInTheDocument();
    expect(within(dialog).getByText(/needs the permission to patch nodes/)).toBeInTheDocument();
    expect(within(dialog).getByText(/User "dev" cannot patch resource "nodes"/)).toBeInTheDocument();
  });

  it('keeps the override actions listed but unusable, with the reason, without the permission to patch nodes', async () => {
    const user = userEvent.setup();
    fakeAccess.deny({ resource: 'nodes', verb: 'patch' });
    renderTab();

    await user.click(await screen.findByRole('button', { name: 'Actions for worker-a' }));
    const item = screen.getByRole('menuitem', { name: 'Set override' });
    expect(item).toHaveAttribute('aria-disabled', 'true');
    await user.click(item);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.hover(item);
    expect(
      await screen.findByText(
        'Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.',
      ),
    ).toBeInTheDocument();
  });
});

describe('Node override editor: the promise against the cloud quota', () => {
  // The nodes promise 10 + 4 + 10 = 24 VMs now, of which 6 run.
  beforeEach(() =>
    arrangeCluster({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': roomWith64FreeVcpus({ usedVms: 6 }) }),
  );

  it('says what the override typed promises, over every node', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '20');

    expect(
      await within(dialog).findByText(
        'With this override, the nodes promise 34 VMs = 68 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();
    // No override to remove on worker-a.
    expect(within(dialog).queryByText(/Without the override/)).not.toBeInTheDocument();
  });

  it("counts over the Capacity tab's live capacity, opening no stream of its own", async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '20');

    expect(await within(dialog).findByText(/With this override, the nodes promise 34 VMs/)).toBeInTheDocument();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(backendCalls().filter((path) => path === '/capacity')).toHaveLength(1);
  });

  it('warns when the override promises more VMs than the quota holds', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '100');

    expect(
      await within(dialog).findByText(
        'With this override, the nodes promise 114 VMs = 228 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start. The limits promise 76 more VMs than the quota holds; peer pods beyond that will fail in ContainerCreating.',
      ),
    ).toHaveTextContent(/: Warning;$/);
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeEnabled();
  });

  it("says what removing the override promises: the node back on its PeerPodConfig's limit", async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, 'worker-b', 'Edit override');

    expect(
      await within(dialog).findByText(
        'With this override, the nodes promise 24 VMs = 48 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Without the override, the nodes promise 30 VMs = 60 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();

    // While the value typed is not a limit, only the removal is stated.
    await user.clear(field(dialog));
    expect(within(dialog).queryByText(/With this override/)).not.toBeInTheDocument();
    expect(within(dialog).getByText(/Without the override, the nodes promise 30 VMs/)).toBeInTheDocument();
  });

  it('shows no promise to a user who may not read the cloud', async () => {
    const user = userEvent.setup();
    serveBackend({
      '/capacity': capacitySummary([nodeCapacity('worker-a')]),
      '/permissions': { ...ADMIN_PERMISSIONS, canReadCloud: false },
      '/capacity/room': capacityRoom(),
    });
    renderTab();
    const dialog = await openOverride(user, 'worker-a', 'Set override');

    await user.type(field(dialog), '20');

    await waitFor(() => expect(backendCalls()).toContain('/permissions'));
    expect(within(dialog).queryByText(/the nodes promise/)).not.toBeInTheDocument();
    expect(backendCalls()).not.toContain('/capacity/room');
  });
});
