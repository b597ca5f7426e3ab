import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { PeerPodConfigModel } from '../../../../models/PeerPodConfig';
import { backendCalls, capacitySummary, nodeCapacity, serveBackend } from '../../../../test/capacityFixtures';
import { FakeEventSource } from '../../../../test/fakeEventSource';
import { ADMIN_PERMISSIONS, peerPodConfig } from '../../../../test/fixtures';
import { capacityRoom, refusedQuota, roomWith64FreeVcpus } from '../../../../test/roomFixtures';
import { consoleFetchJSON, fakeAccess, fakeCluster, httpError, k8sPatch } from '../../../../test/sdk-mock';
import CapacityTab from '../CapacityTab';

const BACKEND = '/api/proxy/plugin/peer-pods-console-plugin/backend/api/v1';

/** The backend's answer to a limit write. */
const changed = (old: string | null, value: string) => ({
  target: 'openshift-sandboxed-containers-operator/peerpodconfig-openshift',
  old,
  new: value,
  event: { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift.0123456789abcdef' },
});

const renderTab = () =>
  render(
    <MemoryRouter>
      <CapacityTab />
    </MemoryRouter>,
  );

const openEditor = async (user: ReturnType<typeof userEvent.setup>) => {
  await user.click(await screen.findByRole('button', { name: 'Edit limit' }));
  return screen.getByRole('dialog', { name: 'Edit the VM limit per node' });
};

const limitField = (dialog: HTMLElement) => within(dialog).getByRole('textbox', { name: /VM limit per node/ });

const typeLimit = async (user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, value: string) => {
  await user.clear(limitField(dialog));
  if (value) await user.type(limitField(dialog), value);
};

describe('Limit editor', () => {
  beforeEach(() => {
    fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
    serveBackend({
      '/capacity': capacitySummary([
        nodeCapacity('worker-a', { used: 8 }),
        nodeCapacity('worker-b', { used: 3 }),
        nodeCapacity('worker-c', { used: 9, source: 'override', override: 12, desired: 12 }),
      ]),
    });
  });

  it('opens with the current limit of the PeerPodConfig', async () => {
    const user = userEvent.setup();
    renderTab();

    const dialog = await openEditor(user);

    expect(within(dialog).getByText('Current limit: 10 VMs per node.')).toBeInTheDocument();
    expect(limitField(dialog)).toHaveValue('10');
    expect(
      within(dialog).getByText(
        'PeerPodConfig peerpodconfig-openshift in the namespace openshift-sandboxed-containers-operator',
      ),
    );
    // Nothing changed yet: nothing to save.
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it.each([
    ['', 'Enter a number of VMs, for example 10.'],
    ['-1', 'The limit cannot be negative. Enter 0 or more; 0 stops new peer pods.'],
    ['2.5', 'The limit counts whole VMs. Enter a whole number, for example 10.'],
    ['ten', 'Enter digits only, for example 10.'],
    ['1e3', 'Enter digits only, for example 10.'],
    [
      '1001',
      'The limit can be at most 1000: each peer pod is also a pod on its node, and a node runs no more pods than its maxPods (250 by default on OpenShift). Enter 1000 or less.',
    ],
  ])('refuses %j and says why', async (value, message) => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, value);

    expect(within(dialog).getByText(message)).toBeInTheDocument();
    expect(limitField(dialog)).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('accepts 0, which stops new peer pods, and the largest limit', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '1000');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();
    await typeLimit(user, dialog, '0');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();
    expect(limitField(dialog)).not.toHaveAttribute('aria-invalid', 'true');
  });

  it('says at 0 that no new peer pod VM starts, rather than counting below zero', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '0');

    expect(
      within(dialog).getByText('With 0, no new peer pod VM starts; the peer pods that run now keep running.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Nodes running more peer pods than the new limit: 2')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Their peer pods keep running, but with a limit of 0 no new peer pod VM starts on them.',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/fewer than/)).not.toBeInTheDocument();
  });

  it('warns, without refusing it, that a node runs a limit above 250 only once its maxPods was raised', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '500');

    expect(
      within(dialog).getByText(
        'An OpenShift node runs at most 250 pods by default, its other pods included: a node reaches this limit only if its maxPods was raised.',
      ),
    ).toBeInTheDocument();
    expect(limitField(dialog)).not.toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();

    await typeLimit(user, dialog, '250');
    expect(within(dialog).queryByText(/maxPods was raised/)).not.toBeInTheDocument();
  });

  it('lists the nodes that already run more peer pods than the new limit, except those with an override', async () => {
    const user = userEvent.setup();
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '5');

    expect(within(dialog).getByText('Nodes running more peer pods than the new limit: 1')).toBeInTheDocument();
    const listed = within(within(dialog).getByRole('list', { name: 'Nodes above the new limit' })).getAllByRole(
      'listitem',
    );
    expect(listed.map((item) => item.textContent)).toEqual(['worker-a: 8 in use']);
    expect(
      within(dialog).getByText(
        'Their peer pods keep running; a node takes new peer pods again once it runs fewer than its new limit of 5.',
      ),
    ).toBeInTheDocument();

    await typeLimit(user, dialog, '2');
    expect(within(dialog).getByText('Nodes running more peer pods than the new limit: 2')).toBeInTheDocument();

    await typeLimit(user, dialog, '8');
    expect(within(dialog).queryByText(/running more peer pods than the new limit/)).not.toBeInTheDocument();
  });

  it('sends the new limit to the backend, which writes it as the user, then follows the nodes until all advertise it', async () => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    const user = userEvent.setup();
    consoleFetchJSON.put.mockResolvedValue(changed('10', '12'));
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, ' 012 ');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(consoleFetchJSON.put).toHaveBeenCalledTimes(1);
    expect(consoleFetchJSON.put).toHaveBeenCalledWith(
      `${BACKEND}/configs/openshift-sandboxed-containers-operator/peerpodconfig-openshift/limit`,
      { limit: 12 },
    );
    expect(k8sPatch).not.toHaveBeenCalled();
    expect(await within(dialog).findByText(/The limit is now 12/)).toBeInTheDocument();
    const progress = within(dialog).getByRole('progressbar', { name: 'Nodes advertising the new limit' });
    expect(progress).toHaveAttribute('aria-valuetext', '0 of 2 nodes');
    expect(within(dialog).getByText('Waiting for: worker-a, worker-b')).toBeInTheDocument();
    expect(within(dialog).getByText('Nodes with an override, which keep their own limit: 1')).toBeInTheDocument();

    // The backend has seen the new limit and patched one node.
    FakeEventSource.emit(
      'capacity',
      capacitySummary(
        [
          nodeCapacity('worker-a', { used: 8, desired: 12, advertised: 12 }),
          nodeCapacity('worker-b', { used: 3, desired: 12, advertised: 10, drift: 'differs' }),
          nodeCapacity('worker-c', { used: 9, source: 'override', override: 12, desired: 12 }),
        ],
        { revision: 5 },
      ),
    );
    expect(progress).toHaveAttribute('aria-valuetext', '1 of 2 nodes');
    expect(within(dialog).getByText('Waiting for: worker-b')).toBeInTheDocument();

    FakeEventSource.emit(
      'capacity',
      capacitySummary(
        [
          nodeCapacity('worker-a', { used: 8, desired: 12, advertised: 12 }),
          nodeCapacity('worker-b', { used: 3, desired: 12, advertised: 12 }),
          nodeCapacity('worker-c', { used: 9, source: 'override', override: 12, desired: 12 }),
        ],
        { revision: 6 },
      ),
    );
    expect(progress).toHaveAttribute('aria-valuetext', '2 of 2 nodes');
    expect(within(dialog).getByText('Every node advertises the new limit of 12')).toBeInTheDocument();

    // The footer's Close (the header's × has the same name).
    await user.click(within(dialog).getAllByRole('button', { name: 'Close' }).at(-1)!);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    vi.unstubAllGlobals();
  });

  it('adds spec.limit when the PeerPodConfig has none', async () => {
    const user = userEvent.setup();
    const withoutLimit = peerPodConfig();
    delete withoutLimit.spec.limit;
    fakeCluster.setObjects(PeerPodConfigModel, [withoutLimit]);
    consoleFetchJSON.put.mockResolvedValue(changed(null, '4'));
    renderTab();
    const dialog = await openEditor(user);
    expect(within(dialog).getByText('The PeerPodConfig sets no limit now.')).toBeInTheDocument();

    await typeLimit(user, dialog, '4');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(consoleFetchJSON.put.mock.calls[0]![1]).toEqual({ limit: 4 });
    expect(await within(dialog).findByText(/The limit is now 4/)).toBeInTheDocument();
  });

  it('says which permission is missing when the API server refuses the write', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockRejectedValue(
      httpError(403, 'peerpodconfigs.confidentialcontainers.org "peerpodconfig-openshift" is forbidden'),
    );
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '6');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('You are not allowed to change the PeerPodConfig')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Changing the limit needs the permission to patch peerpodconfigs in the namespace openshift-sandboxed-containers-operator. Ask a cluster administrator for it.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Error: peerpodconfigs.confidentialcontainers.org "peerpodconfig-openshift" is forbidden',
      ),
    ).toBeInTheDocument();
    // The value stays, to try again.
    expect(limitField(dialog)).toHaveValue('6');
  });

  it('shows other API errors with their message', async () => {
    const user = userEvent.setup();
    consoleFetchJSON.put.mockRejectedValue(
      httpError(409, 'the limit of PeerPodConfig changed while yours was being saved'),
    );
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '6');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText('The limit was not saved')).toBeInTheDocument();
    expect(
      within(dialog).getByText('Error: the limit of PeerPodConfig changed while yours was being saved'),
    ).toBeInTheDocument();
  });

  it('keeps the button visible but unusable, with the reason, for a user who may not patch the PeerPodConfig', async () => {
    const user = userEvent.setup();
    fakeAccess.deny({ resource: 'peerpodconfigs', verb: 'patch' });
    renderTab();

    const button = await screen.findByRole('button', { name: 'Edit limit' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.hover(button);
    expect(
      await screen.findByText(
        'Changing the limit needs the permission to patch peerpodconfigs in the namespace openshift-sandboxed-containers-operator. Ask a cluster administrator for it.',
      ),
    ).toBeInTheDocument();
  });

  it('asks the API server about patching the PeerPodConfig in the operator namespace', async () => {
    renderTab();
    await screen.findByRole('button', { name: 'Edit limit' });

    const { useAccessReview } = await import('../../../../test/sdk-mock');
    expect(useAccessReview).toHaveBeenCalledWith({
      group: 'confidentialcontainers.org',
      resource: 'peerpodconfigs',
      verb: 'patch',
      namespace: 'openshift-sandboxed-containers-operator',
      name: 'peerpodconfig-openshift',
    });
  });

  it('says that progress cannot be shown when the backend is not reachable', async () => {
    const user = userEvent.setup();
    serveBackend({ '/capacity': httpError(503, 'unavailable') });
    consoleFetchJSON.put.mockResolvedValue(changed('10', '6'));
    renderTab();
    await screen.findByText('The peer pods backend is not reachable');
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '6');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(dialog).getByText('Progress is not available')).toBeInTheDocument());
  });
});

describe('Limit editor: the promise against the cloud quota', () => {
  const threeNodes = () =>
    capacitySummary([
      nodeCapacity('worker-a', { used: 8 }),
      nodeCapacity('worker-b', { used: 3 }),
      nodeCapacity('worker-c', { used: 9, source: 'override', override: 12, desired: 12 }),
    ]);

  const serveRoom = (room: ReturnType<typeof capacityRoom>, capacity = threeNodes()) =>
    serveBackend({ '/capacity': capacity, '/permissions': ADMIN_PERMISSIONS, '/capacity/room': room });

  beforeEach(() => {
    fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
  });

  afterEach(() => vi.unstubAllGlobals());

  it('says what the value typed promises, in VMs and vCPUs, and how many more VMs the quota lets start', async () => {
    const user = userEvent.setup();
    serveRoom(roomWith64FreeVcpus({ usedVms: 20 }));
    renderTab();
    const dialog = await openEditor(user);

    // Two nodes at 10 and one override of 12.
    expect(
      await within(dialog).findByText(
        'With this limit, the nodes promise 32 VMs = 64 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();
    const roomReads = () => backendCalls().filter((path) => path === '/capacity/room').length;
    const readsBefore = roomReads();

    await typeLimit(user, dialog, '15');
    expect(
      within(dialog).getByText(
        'With this limit, the nodes promise 42 VMs = 84 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start.',
      ),
    ).toBeInTheDocument();

    // Nothing is promised by a value that is not a limit.
    await typeLimit(user, dialog, 'x');
    expect(within(dialog).queryByText(/the nodes promise/)).not.toBeInTheDocument();

    // Typing asks the backend nothing: the room is read when the dialog opens.
    expect(roomReads()).toBe(readsBefore);
  });

  it("counts over the Capacity tab's live capacity, opening no stream of its own", async () => {
    FakeEventSource.reset();
    vi.stubGlobal('EventSource', FakeEventSource);
    const user = userEvent.setup();
    serveRoom(roomWith64FreeVcpus());
    renderTab();
    const dialog = await openEditor(user);
    await within(dialog).findByText(/the nodes promise 32 VMs/);

    // A fourth node at the limit joins.
    FakeEventSource.emit(
      'capacity',
      capacitySummary([...threeNodes().nodes, nodeCapacity('worker-d')], { revision: 2 }),
    );

    expect(within(dialog).getByText(/the nodes promise 42 VMs/)).toBeInTheDocument();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(backendCalls().filter((path) => path === '/capacity')).toHaveLength(1);
  });

  it('warns, without blocking the save, when the limits promise more VMs than the quota holds', async () => {
    const user = userEvent.setup();
    fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '1' })]);
    const twentyNodes = Array.from({ length: 20 }, (_, index) => nodeCapacity(`worker-${index}`, { desired: 1 }));
    serveRoom(roomWith64FreeVcpus(), capacitySummary(twentyNodes));
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '10');

    const warning = await within(dialog).findByText(
      'With this limit, the nodes promise 200 VMs = 400 vCPUs (m6a.large); the quota has 64 vCPUs free: at most 32 more VMs can start. The limits promise 168 more VMs than the quota holds; peer pods beyond that will fail in ContainerCreating.',
    );
    expect(warning).toHaveTextContent(/: Warning;$/);
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('states the promise alone, and why, when the quota cannot be read', async () => {
    const user = userEvent.setup();
    serveRoom(capacityRoom({ quotas: [refusedQuota], freeVcpus: null, moreVms: null, exceeds: null }));
    renderTab();
    const dialog = await openEditor(user);

    expect(
      await within(dialog).findByText(
        "With this limit, the nodes promise 32 VMs = 64 vCPUs (m6a.large); the vCPU quota could not be read: the backend's cloud credentials may not read Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances; they need servicequotas:GetServiceQuota",
      ),
    ).toBeInTheDocument();
  });

  it('shows no promise and offers no ConfigMap change to a user who may not read the cloud', async () => {
    const user = userEvent.setup();
    serveBackend({
      '/capacity': threeNodes(),
      '/permissions': { ...ADMIN_PERMISSIONS, canReadCloud: false },
      '/capacity/room': capacityRoom(),
    });
    renderTab();
    const dialog = await openEditor(user);

    await typeLimit(user, dialog, '12');

    await waitFor(() => expect(backendCalls()).toContain('/permissions'));
    expect(within(dialog).queryByText(/the nodes promise/)).not.toBeInTheDocument();
    expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(backendCalls()).not.toContain('/capacity/room');
  });
});

describe('Limit editor: keeping PEERPODS_LIMIT_PER_NODE in step', () => {
  const keepInStep = (dialog: HTMLElement) =>
    within(dialog).queryByRole('checkbox', { name: /PEERPODS_LIMIT_PER_NODE/ });

  const serveRoom = (adaptor: { text: string | null; value: number | null }) =>
    serveBackend({
      '/capacity': capacitySummary([nodeCapacity('worker-a'), nodeCapacity('worker-b')]),
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': capacityRoom({
        adaptorLimit: { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm', ...adaptor },
      }),
    });

  beforeEach(() => {
    fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig({ limit: '10' })]);
  });

  it('offers it, checked, only while the value typed differs from what the adaptor applies', async () => {
    const user = userEvent.setup();
    serveRoom({ text: null, value: null });
    renderTab();
    const dialog = await openEditor(user);
    await within(dialog).findByText(/the nodes promise 20 VMs/);

    // Unset means the adaptor's default of 10, the same as the limit.
    expect(keepInStep(dialog)).not.toBeInTheDocument();

    await typeLimit(user, dialog, '12');
    const checkbox = keepInStep(dialog);
    expect(checkbox).toBeChecked();
    expect(checkbox).toHaveAccessibleName(
      'Also set PEERPODS_LIMIT_PER_NODE in ConfigMap openshift-sandboxed-containers-operator/peer-pods-cm to 12 (now unset, 10)',
    );
    expect(within(dialog).getByText(/cloud-api-adaptor uses it on the nodes where it advertises the capacity itself/));

    await typeLimit(user, dialog, '10');
    expect(keepInStep(dialog)).not.toBeInTheDocument();
  });

  it('saves the ConfigMap value with the limit when checked, and says what it wrote', async () => {
    const user = userEvent.setup();
    serveRoom({ text: null, value: null });
    consoleFetchJSON.put.mockResolvedValue({
      ...changed('10', '12'),
      configMap: { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm', old: null, new: '12' },
    });
    renderTab();
    const dialog = await openEditor(user);
    await within(dialog).findByText(/the nodes promise 20 VMs/);

    await typeLimit(user, dialog, '12');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(consoleFetchJSON.put.mock.calls[0]![1]).toEqual({ limit: 12, syncConfigMap: true });
    expect(
      await within(dialog).findByText(
        'PEERPODS_LIMIT_PER_NODE in ConfigMap openshift-sandboxed-containers-operator/peer-pods-cm is now 12 (was unset). cloud-api-adaptor reads it when its pods start, so it applies once they restart.',
      ),
    ).toBeInTheDocument();
  });

  it('saves the limit alone when unchecked', async () => {
    const user = userEvent.setup();
    serveRoom({ text: '8', value: 8 });
    consoleFetchJSON.put.mockResolvedValue(changed('10', '12'));
    renderTab();
    const dialog = await openEditor(user);
    await within(dialog).findByText(/the nodes promise 20 VMs/);

    await typeLimit(user, dialog, '12');
    expect(keepInStep(dialog)).toHaveAccessibleName(/to 12 \(now 8\)$/);
    await user.click(keepInStep(dialog)!);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(consoleFetchJSON.put.mock.calls[0]![1]).toEqual({ limit: 12 });
    expect(await within(dialog).findByText(/The limit is now 12/)).toBeInTheDocument();
    expect(within(dialog).queryByText(/in ConfigMap/)).not.toBeInTheDocument();
  });

  it('lets the ConfigMap be brought in step when the limit itself stays', async () => {
    const user = userEvent.setup();
    serveRoom({ text: '5', value: 5 });
    consoleFetchJSON.put.mockResolvedValue({
      ...changed('10', '10'),
      configMap: { namespace: 'openshift-sandboxed-containers-operator', name: 'peer-pods-cm', old: '5', new: '10' },
    });
    renderTab();
    const dialog = await openEditor(user);

    expect(await within(dialog).findByRole('checkbox', { name: /to 10 \(now 5\)$/ })).toBeChecked();
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(save).toBeEnabled();
    await user.click(save);

    expect(consoleFetchJSON.put.mock.calls[0]![1]).toEqual({ limit: 10, syncConfigMap: true });
    expect(await within(dialog).findByText(/peer-pods-cm is now 10 \(was 5\)/)).toBeInTheDocument();
  });
});
