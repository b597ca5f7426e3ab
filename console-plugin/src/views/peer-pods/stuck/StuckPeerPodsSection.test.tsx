import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';
import type { ComponentProps } from 'react';

import type { VmConsoleOutput } from '../../../api/backend';
import { serveBackend, backendCalls } from '../../../test/capacityFixtures';
import { ADMIN_PERMISSIONS, peerPodConfig } from '../../../test/fixtures';
import { stuckPeerPod, stuckPeerPods } from '../../../test/operationsFixtures';
import { httpError } from '../../../test/sdk-mock';
import StuckPeerPodsSection from './StuckPeerPodsSection';

const allowed = { allowed: true, loading: false };

const renderSection = (props: Partial<ComponentProps<typeof StuckPeerPodsSection>> = {}) => {
  const handlers = { onRaiseLimit: vi.fn(), onRaiseOverride: vi.fn() };
  render(
    <MemoryRouter>
      <StuckPeerPodsSection
        peerPodConfig={peerPodConfig({ instanceType: 'm5.xlarge' })}
        limitAccess={allowed}
        overrideAccess={allowed}
        {...handlers}
        {...props}
      />
    </MemoryRouter>,
  );
  return handlers;
};

const table = () => screen.findByRole('grid', { name: 'Stuck peer pods' });
const rowOf = async (podName: string) => {
  const rows = within(await table()).getAllByRole('row');
  const row = rows.find((candidate) => within(candidate).queryAllByRole('link', { name: podName }).length > 0);
  if (!row) throw new Error(`no row for pod ${podName}`);
  return row;
};
const consoleOutput = (fields: Partial<VmConsoleOutput> = {}): VmConsoleOutput => ({
  vmId: 'i-0abc',
  output: '[    0.000000] Linux version 6.1\nkata-agent: listening on vsock',
  capturedAt: '2025-01-01T11:59:00.000Z',
  truncated: false,
  unavailable: null,
  ...fields,
});
const sandboxPod = stuckPeerPod('web-1', {
  stage: 'sandbox',
  nodeName: 'worker-a',
  reason: 'network',
  eventReason: 'FailedCreatePodSandBox',
  count: 7,
  message: 'failed to create pod sandbox: remote hypervisor call timed out: dial tcp 10.0.1.5:15150: i/o timeout',
  fixes: ['open-ports'],
  vmId: 'i-0abc',
});

describe('Stuck peer pods', () => {
  it('says so when no peer pod is stuck', async () => {
    serveBackend({ '/stuck': stuckPeerPods([]) });

    renderSection();

    expect(
      await screen.findByText(/No peer pod is stuck: every one runs, or started less than 2 minutes ago/),
    ).toBeInTheDocument();
  });

  it('shows 10 stuck pods a page, however many there are, and the others a page further', async () => {
    const pods = Array.from({ length: 25 }, (_, i) => stuckPeerPod(`web-${String(i).padStart(2, '0')}`));
    serveBackend({ '/stuck': stuckPeerPods(pods) });
    const user = userEvent.setup();

    renderSection();

    const rowsShown = async () => within(await table()).getAllByRole('row').length - 1;
    expect(await rowsShown()).toBe(10);
    expect(screen.getByRole('link', { name: 'web-00' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'web-10' })).not.toBeInTheDocument();
    const pages = screen.getByRole('navigation', { name: 'Pages: Stuck peer pods' });
    await user.click(within(pages).getByRole('button', { name: 'Go to next page' }));
    expect(await screen.findByRole('link', { name: 'web-10' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'web-00' })).not.toBeInTheDocument();
    expect(await rowsShown()).toBe(10);
  });

  it('says a grace period shorter than a minute in seconds', async () => {
    serveBackend({ '/stuck': stuckPeerPods([sandboxPod], { graceSeconds: 45 }) });

    renderSection();

    expect(await screen.findByText(/have not been running for more than 45 seconds:/)).toBeInTheDocument();
  });

  it('reads only the pods of one node when given one', async () => {
    serveBackend({ '/stuck?node=worker-a': stuckPeerPods([sandboxPod]) });

    renderSection({ nodeName: 'worker-a' });

    await table();
    expect(backendCalls()).toContain('/stuck?node=worker-a');
    expect(screen.queryByRole('columnheader', { name: 'Node' })).not.toBeInTheDocument();
  });

  it('shows the stage, the translated reason, since when and the message verbatim with its Event', async () => {
    serveBackend({ '/stuck': stuckPeerPods([stuckPeerPod('db-0'), sandboxPod]) });

    renderSection();

    const pending = await rowOf('db-0');
    expect(within(pending).getByText('Pending')).toBeInTheDocument();
    expect(within(pending).getByText('No free VM')).toBeInTheDocument();
    expect(within(pending).getByText('Not scheduled')).toBeInTheDocument();
    expect(
      within(pending).getByText('0/3 nodes are available: 3 Insufficient kata.peerpods.io/vm.'),
    ).toBeInTheDocument();
    expect(within(pending).getByText('2025-01-01T11:50:00.000Z')).toBeInTheDocument();
    const sandbox = await rowOf('web-1');
    expect(within(sandbox).getByText('Sandbox not starting')).toBeInTheDocument();
    expect(within(sandbox).getByText('VM not reachable')).toBeInTheDocument();
    expect(within(sandbox).getByText('FailedCreatePodSandBox (7 times)')).toBeInTheDocument();
    expect(within(sandbox).getByText(/dial tcp 10.0.1.5:15150: i\/o timeout/)).toBeInTheDocument();
  });

  it('explains a reason on hover', async () => {
    const user = userEvent.setup();
    serveBackend({ '/stuck': stuckPeerPods([stuckPeerPod('db-0', { reason: 'quota', fixes: ['check-quota'] })]) });
    renderSection();

    await user.hover(within(await rowOf('db-0')).getByText('Cloud quota used up'));

    expect(
      await screen.findByText('The cloud account has used up a quota: vCPUs, instances or cores.'),
    ).toBeInTheDocument();
  });

  it('opens the limit editor and the override editor of the pinned node from the fixes', async () => {
    const user = userEvent.setup();
    serveBackend({
      '/stuck': stuckPeerPods([
        stuckPeerPod('db-0'),
        stuckPeerPod('db-1', { nodeName: 'worker-b', pinned: true, fixes: ['raise-override'] }),
      ]),
    });
    const handlers = renderSection();

    await user.click(within(await rowOf('db-0')).getByRole('button', { name: 'Raise the VM limit for db-0' }));
    const pinned = await rowOf('db-1');
    expect(within(pinned).getByText('Pinned to this node')).toBeInTheDocument();
    await user.click(within(pinned).getByRole('button', { name: 'Raise the override on worker-b' }));

    expect(handlers.onRaiseLimit).toHaveBeenCalledTimes(1);
    expect(handlers.onRaiseOverride).toHaveBeenCalledWith('worker-b');
  });

  it('disables the editors, with the reason, without the permission to change them', async () => {
    const user = userEvent.setup();
    serveBackend({ '/stuck': stuckPeerPods([stuckPeerPod('db-0')]) });
    renderSection({ limitAccess: { allowed: false, loading: false } });

    const button = within(await rowOf('db-0')).getByRole('button', { name: 'Raise the VM limit for db-0' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    await user.hover(button);

    expect(
      await screen.findByText(/Changing the limit needs the permission to patch peerpodconfigs/),
    ).toBeInTheDocument();
  });

  it('points each other fix to where it is made: the port wizard, the quota, the ConfigMap, the Secret, the pod', async () => {
    serveBackend({
      '/stuck': stuckPeerPods([
        stuckPeerPod('p-ports', { stage: 'sandbox', reason: 'network', fixes: ['open-ports'] }),
        stuckPeerPod('p-quota', { stage: 'sandbox', reason: 'quota', fixes: ['check-quota'] }),
        stuckPeerPod('p-image', { stage: 'sandbox', reason: 'image', fixes: ['check-config'] }),
        stuckPeerPod('p-creds', { stage: 'sandbox', reason: 'credentials', fixes: ['check-credentials'] }),
        stuckPeerPod('p-sched', { reason: 'scheduling', fixes: ['check-scheduling'] }),
      ]),
    });

    renderSection();

    expect(
      within(await rowOf('p-ports')).getByRole('link', { name: 'Open the ports with the Network setup wizard' }),
    ).toHaveAttribute('href', '/peer-pods/network-setup');
    expect(
      within(await rowOf('p-quota')).getByText('Check the cloud account quota for m5.xlarge.'),
    ).toBeInTheDocument();
    expect(within(await rowOf('p-image')).getByRole('link', { name: 'peer-pods-cm' })).toHaveAttribute(
      'href',
      '/k8s/ns/openshift-sandboxed-containers-operator/core~v1~ConfigMap/peer-pods-cm',
    );
    expect(within(await rowOf('p-creds')).getByRole('link', { name: 'peer-pods-secret' })).toHaveAttribute(
      'href',
      '/k8s/ns/openshift-sandboxed-containers-operator/core~v1~Secret/peer-pods-secret',
    );
    const scheduling = await rowOf('p-sched');
    expect(within(scheduling).getByText(/Check the pod's node selector, affinity, tolerations/)).toBeInTheDocument();
    expect(within(scheduling).getAllByRole('link', { name: 'p-sched' })).toHaveLength(2);
  });

  it('hides pod names and messages it may not show, and says why once', async () => {
    serveBackend({
      '/stuck': stuckPeerPods([stuckPeerPod(null as unknown as string, { namespace: null, message: null })], {
        podNames: 'hidden',
        messages: 'hidden',
      }),
    });

    renderSection();

    const grid = await table();
    expect(within(grid).queryByRole('columnheader', { name: 'Pod' })).not.toBeInTheDocument();
    expect(within(grid).getByText('No free VM')).toBeInTheDocument();
    expect(screen.getByText('Pod names hidden: you may not list pods in all namespaces')).toBeInTheDocument();
    expect(
      screen.getByText('Messages hidden: reading them needs the permission to list events in all namespaces'),
    ).toBeInTheDocument();
  });

  it('explains a refused read once, with no retry that would be refused again', async () => {
    serveBackend({ '/stuck': httpError(403, 'user "dev" may not list nodes') });
    renderSection();

    expect(await screen.findByText('Could not read the stuck peer pods')).toBeInTheDocument();
    expect(screen.getByText(/Reading the stuck peer pods needs the permission to list nodes/)).toBeInTheDocument();
    expect(screen.queryByText(/user "dev" may not list nodes/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('asks again on request after a failure that may clear by itself', async () => {
    const user = userEvent.setup();
    serveBackend({ '/stuck': httpError(503, 'Service Unavailable') });
    renderSection();

    expect(await screen.findByText('Could not read the stuck peer pods')).toBeInTheDocument();
    serveBackend({ '/stuck': stuckPeerPods([]) });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/No peer pod is stuck/)).toBeInTheDocument();
  });

  describe('console output', () => {
    it('is offered for a VM whose sandbox does not start, to users who may read the inventory', async () => {
      serveBackend({
        '/stuck': stuckPeerPods([sandboxPod, stuckPeerPod('db-0', { vmId: 'i-0def' })]),
        '/permissions': ADMIN_PERMISSIONS,
      });

      renderSection();

      expect(
        await within(await rowOf('web-1')).findByRole('button', { name: 'View the console output of the VM of web-1' }),
      ).toBeInTheDocument();
      expect(within(await rowOf('db-0')).queryByRole('button', { name: /console output/ })).not.toBeInTheDocument();
    });

    it.each([
      ['may not list pods', { canListPods: false }],
      ['may not get the cloud credentials Secret', { canReadCloud: false }],
    ])('is not offered to users who %s', async (_who, denied) => {
      serveBackend({
        '/stuck': stuckPeerPods([sandboxPod]),
        '/permissions': { ...ADMIN_PERMISSIONS, ...denied },
      });

      renderSection();

      await rowOf('web-1');
      await screen.findByText('VM not reachable');
      expect(screen.queryByRole('button', { name: /console output/ })).not.toBeInTheDocument();
    });

    const openConsoleOutput = async (answer: VmConsoleOutput | Error) => {
      const user = userEvent.setup();
      serveBackend({
        '/stuck': stuckPeerPods([sandboxPod]),
        '/permissions': ADMIN_PERMISSIONS,
        '/vms/i-0abc/console-output': answer,
      });
      renderSection();
      await user.click(
        await within(await rowOf('web-1')).findByRole('button', { name: 'View the console output of the VM of web-1' }),
      );
      return { user, dialog: screen.getByRole('dialog', { name: 'Console output of VM i-0abc' }) };
    };

    it('shows the output in a scrolling region, copies it, and says when only its end is shown', async () => {
      const { user, dialog } = await openConsoleOutput(consoleOutput({ truncated: true }));

      const region = await within(dialog).findByRole('region', { name: 'Console output of VM i-0abc' });
      expect(region).toHaveTextContent('kata-agent: listening on vsock');
      expect(region).toHaveAttribute('tabindex', '0');
      expect(
        within(dialog).getByText("Only the end of the output is shown: the cloud's console output is longer."),
      ).toBeInTheDocument();
      expect(within(dialog).getByText('The VM of the peer pod demo/web-1')).toBeInTheDocument();
      await user.click(within(dialog).getByRole('button', { name: 'Copy the console output of VM i-0abc' }));
      expect(await navigator.clipboard.readText()).toBe(consoleOutput().output);
    });

    it('says why there is no output when the cloud has none', async () => {
      const { dialog } = await openConsoleOutput(
        consoleOutput({ output: '', unavailable: 'boot diagnostics are disabled on the VM' }),
      );

      expect(await within(dialog).findByText('No console output for this VM')).toBeInTheDocument();
      expect(within(dialog).getByText('boot diagnostics are disabled on the VM')).toBeInTheDocument();
      expect(within(dialog).queryByRole('region')).not.toBeInTheDocument();
    });

    it('says when the VM has printed nothing yet', async () => {
      const { dialog } = await openConsoleOutput(consoleOutput({ output: '' }));

      expect(await within(dialog).findByText('The cloud has no console output for this VM yet')).toBeInTheDocument();
    });

    it('explains a refused read', async () => {
      const { dialog } = await openConsoleOutput(httpError(403, 'may not get secrets peer-pods-secret'));

      expect(await within(dialog).findByText('Could not read the console output')).toBeInTheDocument();
      expect(
        within(dialog).getByText(/needs permission to list nodes and pods in the whole cluster/),
      ).toBeInTheDocument();
    });

    it('closes', async () => {
      const { user, dialog } = await openConsoleOutput(consoleOutput());

      // The footer's Close (the header has a close button of the same name).
      await user.click(within(dialog).getAllByRole('button', { name: 'Close' }).at(-1)!);

      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });
  });
});
