import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { PeerPodConfigModel } from '../../../models/PeerPodConfig';
import { backendCalls, capacitySummary, nodeCapacity, serveBackend } from '../../../test/capacityFixtures';
import { ADMIN_PERMISSIONS, peerPodConfig, VIEWER_PERMISSIONS } from '../../../test/fixtures';
import { capacityRoom, knownQuota, refusedQuota, roomWith64FreeVcpus, vmSize } from '../../../test/roomFixtures';
import { fakeCluster, httpError } from '../../../test/sdk-mock';
import CapacityTab from './CapacityTab';
import CloudRoomCard from './CloudRoomCard';

const renderCard = (capacityKey?: string) =>
  render(
    <MemoryRouter>
      <CloudRoomCard peerPodConfig={peerPodConfig()} capacityKey={capacityKey} />
    </MemoryRouter>,
  );

const card = () => screen.getByRole('region', { name: 'Room in the cloud account' });

/** The <dd> of the card's list whose <dt> has this text. */
const factOf = (term: string) => {
  const list = screen.getByLabelText('Room in the cloud account', { selector: 'dl' });
  const index = within(list)
    .getAllByRole('term')
    .findIndex((element) => element.textContent === term);
  if (index < 0) throw new Error(`no term ${term}`);
  return within(list).getAllByRole('definition')[index]!;
};

const roomCalls = () => backendCalls().filter((path) => path.split('?')[0] === '/capacity/room').length;

/** 20 nodes with limit 10 promise 200 VMs of 2 vCPUs; the quota has 64 vCPUs free: room for 32. */
const overPromised = roomWith64FreeVcpus({
  promisedVms: 200,
  promisedVcpus: 400,
  stillPromisedVms: 200,
  exceeds: true,
});

describe('Cloud room card', () => {
  it('shows the default size, the promise of the limits, the quota that decides and how many more VMs can start', async () => {
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': capacityRoom() });

    renderCard();

    await screen.findByLabelText('Room in the cloud account', { selector: 'dl' });
    expect(factOf('Default VM size')).toHaveTextContent(
      /^m6a\.large · 2 vCPUs · 8 GiBPODVM_INSTANCE_TYPE in peer-pods-cm$/,
    );
    expect(factOf('Allowed sizes')).toHaveTextContent(/^Only the default size/);
    expect(factOf('VMs the limits allow')).toHaveTextContent(/^50 = 100 vCPUs/);
    expect(factOf('Running now')).toHaveTextContent(/^4/);
    expect(factOf('Tightest vCPU quota')).toHaveTextContent(
      'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instancesL-1216C47A in us-east-2: limit 200, used 40, free 160 vCPUs',
    );
    expect(factOf('Room for more VMs')).toHaveTextContent(
      'At most 80 more peer pod VMs can start160 free vCPUs ÷ 2 vCPUs per VM',
    );
    expect(within(card()).getByText(/Read from the cloud/)).toBeInTheDocument();
    expect(within(card()).getByRole('time')).toHaveAttribute('dateTime', '2025-01-01T12:00:00.000Z');
    expect(screen.queryByText(/The limits promise/)).not.toBeInTheDocument();
    expect(screen.queryByText(/vCPU quota .* could not be read|may not read the vCPU quota/)).not.toBeInTheDocument();
  });

  it("says when the size is the adaptor's own default, and lists the allowed sizes", async () => {
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': capacityRoom({
        defaultSizeSource: 'adaptor-default',
        allowedSizes: ['m6a.large', 'm6a.xlarge', 'g5.xlarge'],
        sizes: [vmSize('m6a.large', 2, 8192), vmSize('m6a.xlarge', 4, 16384), vmSize('g5.xlarge', 4, 16384, 1)],
      }),
    });

    renderCard();

    await screen.findByLabelText('Room in the cloud account', { selector: 'dl' });
    expect(factOf('Default VM size')).toHaveTextContent(
      "The cloud-api-adaptor's default: PODVM_INSTANCE_TYPE is not set in peer-pods-cm",
    );
    expect(factOf('Allowed sizes')).toHaveTextContent(
      /^m6a\.large, m6a\.xlarge, g5\.xlargePODVM_INSTANCE_TYPES in peer-pods-cm$/,
    );
  });

  it('warns when the limits promise more VMs than the quota holds, by how many, and how to fix it', async () => {
    const user = userEvent.setup();
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': overPromised });

    renderCard();

    const title = await screen.findByRole('heading', {
      name: /The limits promise 168 more VMs than the quota holds/,
    });
    const alert = title.closest('.pf-v6-c-alert') as HTMLElement;
    expect(alert).toHaveClass('pf-m-warning');
    expect(alert).toHaveTextContent(
      '200 of the VMs the limits allow have not started yet, but the quota Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances has 64 vCPUs free: room for 32 more VMs of m6a.large.',
    );
    expect(alert).toHaveTextContent('by 168 VMs in all');
    expect(alert).toHaveTextContent(
      'Or request an increase of the quota L-1216C47A (Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances) to at least 400 vCPUs in the Service Quotas console, region us-east-2',
    );
    await user.click(within(alert).getByRole('button', { name: 'Copy the quota increase command' }));
    expect(await navigator.clipboard.readText()).toBe(
      'aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-1216C47A --desired-value 400 --region us-east-2',
    );
    expect(factOf('VMs the limits allow')).toHaveTextContent(/^200 = 400 vCPUs/);
    expect(factOf('Room for more VMs')).toHaveTextContent(/^At most 32 more peer pod VMs can start/);
  });

  it('on Azure, asks for a vCPU quota increase of the family in the region', async () => {
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': {
        ...overPromised,
        provider: 'azure',
        region: 'eastus',
        defaultSize: 'Standard_D2as_v5',
        sizes: [{ ...vmSize('Standard_D2as_v5', 2, 8192), quota: 'standardDASv5Family' }],
        quotas: [knownQuota(64, 0, { code: 'standardDASv5Family', name: 'Standard DASv5 Family vCPUs' })],
      },
    });

    renderCard();

    const title = await screen.findByRole('heading', { name: /The limits promise 168 more VMs/ });
    const alert = title.closest('.pf-v6-c-alert') as HTMLElement;
    expect(alert).toHaveTextContent(
      'Or request a vCPU quota increase for Standard DASv5 Family vCPUs in eastus to at least 400 vCPUs',
    );
    expect(within(alert).getByText(/^az quota update --resource-name standardDASv5Family /)).toHaveTextContent(
      '--limit-object value=400',
    );
    expect(factOf('Default VM size')).toHaveTextContent(/AZURE_INSTANCE_SIZE in peer-pods-cm$/);
  });

  it('on Azure, shows the region’s total beside the family quota that decides', async () => {
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': {
        ...overPromised,
        provider: 'azure',
        region: 'eastus',
        defaultSize: 'Standard_DC2as_v5',
        sizes: [{ ...vmSize('Standard_DC2as_v5', 2, 8192), quota: 'standardDCASv5Family' }],
        quotas: [
          knownQuota(48, 2, { code: 'standardDCASv5Family', name: 'Standard DCASv5 Family vCPUs' }),
          knownQuota(100, 14, { code: 'cores', name: 'Total Regional vCPUs' }),
        ],
        freeVcpus: 46,
        moreVms: 23,
      },
    });

    renderCard();

    expect(await screen.findByText('At most 23 more peer pod VMs can start')).toBeInTheDocument();
    expect(factOf('Tightest vCPU quota')).toHaveTextContent('Standard DCASv5 Family vCPUs');
    expect(factOf('Other vCPU quotas')).toHaveTextContent('Total Regional vCPUs: limit 100, used 14, free 86 vCPUs');
  });

  it('names the permission to grant when the backend may not read the quota', async () => {
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': capacityRoom({
        quotas: [refusedQuota],
        freeVcpus: null,
        moreVms: null,
        exceeds: null,
      }),
    });

    renderCard();

    const title = await screen.findByRole('heading', {
      name: /The backend may not read the vCPU quota Running On-Demand/,
    });
    expect(title.closest('.pf-v6-c-alert')).toHaveTextContent(
      'Grant its cloud credentials servicequotas:GetServiceQuota, then refresh.',
    );
    expect(factOf('Room for more VMs')).toHaveTextContent(/^UnknownNo vCPU quota could be read\.$/);
    expect(factOf('Tightest vCPU quota')).toHaveTextContent(/^Unknown$/);
  });

  it('says why a quota could not be read', async () => {
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': capacityRoom({
        quotas: [
          knownQuota(0, 0, {
            state: 'unknown',
            limit: null,
            used: null,
            free: null,
            detail: 'Service Quotas is not available in this region',
          }),
        ],
        freeVcpus: null,
        moreVms: null,
        exceeds: null,
      }),
    });

    renderCard();

    const title = await screen.findByRole('heading', { name: /The vCPU quota Running On-Demand .* could not be read/ });
    expect(title.closest('.pf-v6-c-alert')).toHaveTextContent('Service Quotas is not available in this region');
  });

  it('shows what the cloud could not tell, with its message, sends rejected credentials to their fix, and reads again on request', async () => {
    const user = userEvent.setup();
    serveBackend({
      '/permissions': ADMIN_PERMISSIONS,
      '/capacity/room': capacityRoom({
        fetchedAt: null,
        sizes: [],
        quotas: [],
        vcpusPerVm: null,
        freeVcpus: null,
        promisedVcpus: null,
        moreVms: null,
        exceeds: null,
        error: { code: 'cloud_auth', message: 'AuthFailure: AWS was not able to validate the provided credentials' },
      }),
    });

    renderCard();

    const title = await screen.findByRole('heading', { name: /The sizes and quotas could not be read from the cloud/ });
    const alert = title.closest('.pf-v6-c-alert') as HTMLElement;
    expect(alert).toHaveClass('pf-m-danger');
    expect(alert).toHaveTextContent('Error: AuthFailure: AWS was not able to validate the provided credentials');
    expect(factOf('VMs the limits allow')).toHaveTextContent(/^50/);
    expect(factOf('Room for more VMs')).toHaveTextContent(/^Unknown/);

    // Asking again cannot fix the credentials: the alert sends to the Setup tab; the card reads again.
    expect(within(alert).queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: 'Open the Setup tab' })).toBeInTheDocument();
    const before = roomCalls();
    await user.click(screen.getByRole('button', { name: 'Read again' }));
    await waitFor(() => expect(roomCalls()).toBe(before + 1));
  });

  it('explains a failed read of the room, and tries again on request', async () => {
    const user = userEvent.setup();
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': httpError(503, 'Service Unavailable') });

    renderCard();

    const title = await screen.findByRole('heading', { name: /The room in the cloud account could not be read/ });
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': capacityRoom() });
    await user.click(within(title.closest('.pf-v6-c-alert') as HTMLElement).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('At most 80 more peer pod VMs can start')).toBeInTheDocument();
  });

  it('shows a spinner while the room loads', async () => {
    serveBackend({ '/permissions': ADMIN_PERMISSIONS });

    renderCard();

    expect(
      await screen.findByRole('progressbar', { name: 'Loading the room in the cloud account' }),
    ).toBeInTheDocument();
    expect(within(card()).getByRole('button', { name: 'Read again' })).toBeDisabled();
  });

  it('reads the room again on Read again, past the backend’s quota cache', async () => {
    const user = userEvent.setup();
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': capacityRoom() });
    renderCard();
    await screen.findByText('At most 80 more peer pod VMs can start');
    expect(backendCalls()).not.toContain('/capacity/room?fresh=true');

    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room?fresh=true': overPromised });
    await user.click(within(card()).getByRole('button', { name: 'Read again' }));

    expect(await screen.findByText('At most 32 more peer pod VMs can start')).toBeInTheDocument();
    expect(backendCalls().filter((path) => path === '/capacity/room?fresh=true')).toHaveLength(1);
  });

  it('reads the promise again when the limits or the use change', async () => {
    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': capacityRoom() });
    const { rerender } = renderCard('50/4');
    await screen.findByText('At most 80 more peer pod VMs can start');
    expect(roomCalls()).toBe(1);

    serveBackend({ '/permissions': ADMIN_PERMISSIONS, '/capacity/room': overPromised });
    rerender(
      <MemoryRouter>
        <CloudRoomCard peerPodConfig={peerPodConfig()} capacityKey="200/0" />
      </MemoryRouter>,
    );

    expect(await screen.findByText('At most 32 more peer pod VMs can start')).toBeInTheDocument();
    expect(roomCalls()).toBe(2);
  });

  it('tells a user who may not read the cloud why the room is not shown, and reads nothing', async () => {
    serveBackend({
      '/permissions': { ...VIEWER_PERMISSIONS, canReadCloud: false },
      '/capacity/room': capacityRoom(),
    });

    renderCard();

    expect(
      await within(await screen.findByRole('region', { name: 'Room in the cloud account' })).findByText(
        /only users who may read the Secret peer-pods-secret see it/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Read again' })).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(backendCalls()).not.toContain('/capacity/room');
  });

  describe('on the Capacity tab', () => {
    const renderTab = () =>
      render(
        <MemoryRouter>
          <CapacityTab />
        </MemoryRouter>,
      );

    it('comes after the cluster totals', async () => {
      fakeCluster.setObjects(PeerPodConfigModel, [peerPodConfig()]);
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a')]),
        '/permissions': ADMIN_PERMISSIONS,
        '/capacity/room': capacityRoom(),
      });

      renderTab();

      const room = await screen.findByRole('region', { name: 'Room in the cloud account' });
      const totals = screen.getByRole('region', { name: 'Cluster totals' });
      expect(totals.compareDocumentPosition(room) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      expect(await within(room).findByText('At most 80 more peer pod VMs can start')).toBeInTheDocument();
    });

    it('is not shown without a PeerPodConfig', async () => {
      fakeCluster.setObjects(PeerPodConfigModel, []);
      serveBackend({
        '/capacity': capacitySummary([nodeCapacity('worker-a')]),
        '/permissions': ADMIN_PERMISSIONS,
        '/capacity/room': capacityRoom(),
      });

      renderTab();

      await screen.findByRole('region', { name: 'Cluster totals' });
      expect(screen.queryByRole('region', { name: 'Room in the cloud account' })).not.toBeInTheDocument();
      expect(backendCalls()).not.toContain('/capacity/room');
    });
  });
});
