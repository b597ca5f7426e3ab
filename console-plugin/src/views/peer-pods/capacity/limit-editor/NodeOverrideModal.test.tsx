import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { NodeKind, NodeModel } from '../../../../models/Node';
import { PeerPodConfigModel } from '../../../../models/PeerPodConfig';
import { capacitySummary, nodeCapacity, serveBackend } from '../../../../test/capacityFixtures';
import { FakeEventSource } from '../../../../test/fakeEventSource';
import { node, peerPodConfig } from '../../../../test/fixtures';
import { fakeAccess, fakeCluster, httpError, k8sPatch } from '../../../../test/sdk-mock';
import CapacityTab from '../CapacityTab';

const OVERRIDE = 'peerpods.openshift.io/vm-limit';

const annotated = (name: string, annotations: Record<string, string> | undefined): NodeKind => {
  const base = node(name);
  return { ...base, metadata: { ...base.metadata, ...(annotations ? { annotations } : {}) } };
};

const renderTab = () =>
  render(
    <MemoryRouter>
      <CapacityTab />
    </MemoryRouter>,
  );

const openOverride = async (user: ReturnType<typeof userEvent.setup>, name: RegExp) => {
  await user.click(await screen.findByRole('button', { name }));
  return screen.getByRole('dialog', { name: 'VM limit override' });
};

const field = (dialog: HTMLElement) => within(dialog).getByRole('textbox', { name: /VM limit override/ });

describe('Node override editor', () => {
  afterEach(() => vi.unstubAllGlobals());

  beforeEach(() => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
    serveBackend({
      '/capacity': capacitySummary([
        nodeCapacity('worker-a', { used: 6 }),
        nodeCapacity('worker-b', { source: 'override', override: 4, desired: 4 }),
        nodeCapacity('worker-c', { caaOwner: 'uid-1' }),
      ]),
    });
    fakeCluster.setObjects(NodeModel, [
      annotated('worker-a', { 'machine.openshift.io/machine': 'm-a' }),
      annotated('worker-b', { [OVERRIDE]: '4' }),
      annotated('worker-c', undefined),
    ]);
  });

  it('adds the annotation beside the ones the node has, as a JSON patch on the Node', async () => {
    const user = userEvent.setup();
    k8sPatch.mockResolvedValue(annotated('worker-a', { [OVERRIDE]: '20' }));
    renderTab();
    const dialog = await openOverride(user, /^Set override on worker-a$/);
    expect(
      within(dialog).getByText(/takes its limit from the PeerPodConfig peerpodconfig-openshift/),
    ).toBeInTheDocument();
    expect(field(dialog)).toHaveValue('');

    await user.type(field(dialog), '20');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(k8sPatch).toHaveBeenCalledWith({
      model: NodeModel,
      resource: expect.objectContaining({ metadata: expect.objectContaining({ name: 'worker-a' }) }),
      data: [{ op: 'add', path: '/metadata/annotations/peerpods.openshift.io~1vm-limit', value: '20' }],
    });
    expect(
      await within(dialog).findByText('The override is saved: worker-a may run 20 peer pod VMs.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Waiting for worker-a to advertise its new limit…')).toBeInTheDocument();
  });

  it('writes the whole annotation map when the node has no annotations at all', async () => {
    const user = userEvent.setup();
    k8sPatch.mockResolvedValue(annotated('worker-c', { [OVERRIDE]: '3' }));
    renderTab();
    const dialog = await openOverride(user, /^Set override on worker-c$/);
    expect(within(dialog).getByText('Managed by cloud-api-adaptor')).toBeInTheDocument();

    await user.type(field(dialog), '3');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(k8sPatch.mock.calls[0]![0].data).toEqual([
      { op: 'add', path: '/metadata/annotations', value: { [OVERRIDE]: '3' } },
    ]);
  });

  it('replaces an existing override, and shows when the node advertises it', async () => {
    const user = userEvent.setup();
    k8sPatch.mockResolvedValue(annotated('worker-b', { [OVERRIDE]: '6' }));
    renderTab();
    const dialog = await openOverride(user, /^Edit override on worker-b$/);
    expect(field(dialog)).toHaveValue('4');

    await user.clear(field(dialog));
    await user.type(field(dialog), '6');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(k8sPatch.mock.calls[0]![0].data).toEqual([
      { op: 'replace', path: '/metadata/annotations/peerpods.openshift.io~1vm-limit', value: '6' },
    ]);
    expect(await within(dialog).findByText('Waiting for worker-b to advertise its new limit…')).toBeInTheDocument();

    FakeEventSource.emit(
      'capacity',
      capacitySummary([nodeCapacity('worker-b', { source: 'override', override: 6, desired: 6 })], { revision: 9 }),
    );
    expect(within(dialog).getByText('worker-b advertises 6 VMs')).toBeInTheDocument();
  });

  it('removes the override', async () => {
    const user = userEvent.setup();
    k8sPatch.mockResolvedValue(annotated('worker-b', {}));
    renderTab();
    const dialog = await openOverride(user, /^Edit override on worker-b$/);

    await user.click(within(dialog).getByRole('button', { name: 'Remove override' }));

    expect(k8sPatch.mock.calls[0]![0].data).toEqual([
      { op: 'remove', path: '/metadata/annotations/peerpods.openshift.io~1vm-limit' },
    ]);
    expect(
      await within(dialog).findByText(
        'The override is removed: worker-b takes its limit from its PeerPodConfig again.',
      ),
    ).toBeInTheDocument();
  });

  it('validates the override like the limit and warns when it is below what the node runs', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openOverride(user, /^Set override on worker-a$/);

    await user.type(field(dialog), '-3');
    expect(within(dialog).getByText('The limit cannot be negative. Enter 0 or more; 0 stops new peer pods.'));
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeDisabled();

    await user.clear(field(dialog));
    await user.type(field(dialog), '2');
    expect(within(dialog).getByText('Peer pods running on worker-a: 6, more than 2')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save override' })).toBeEnabled();
  });

  it('shows a refused patch as a missing permission', async () => {
    const user = userEvent.setup();
    k8sPatch.mockRejectedValue(
      httpError(403, 'nodes "worker-a" is forbidden: User "dev" cannot patch resource "nodes"'),
    );
    renderTab();
    const dialog = await openOverride(user, /^Set override on worker-a$/);

    await user.type(field(dialog), '4');
    await user.click(within(dialog).getByRole('button', { name: 'Save override' }));

    expect(await within(dialog).findByText('You are not allowed to change the node')).toBeInTheDocument();
    expect(within(dialog).getByText(/needs the permission to patch nodes/)).toBeInTheDocument();
  });

  it('keeps the override buttons visible but unusable, with the reason, without the permission to patch nodes', async () => {
    const user = userEvent.setup();
    fakeAccess.deny({ resource: 'nodes', verb: 'patch' });
    renderTab();

    const button = await screen.findByRole('button', { name: 'Set override on worker-a' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await user.hover(button);
    expect(
      await screen.findByText(
        'Setting an override needs the permission to patch nodes. Ask a cluster administrator for it.',
      ),
    ).toBeInTheDocument();
  });
});
