import { render, screen, waitFor, within } from '@testing-library/react';
import { ADMIN_PERMISSIONS, VIEWER_PERMISSIONS } from '../../../test/fixtures';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router-dom-v5-compat';

import { backendUrl, type OrphanCleanupResult, type Permissions, type VmInventory } from '../../../api/backend';
import { consoleFetchJSON, httpError } from '../../../test/sdk-mock';
import VirtualMachinesTab from './VirtualMachinesTab';

type InventoryVm = VmInventory['vms'][number];

const vm = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm => ({
  id: `i-${name}`,
  name,
  state: 'running',
  instanceType: 't3.medium',
  launchedAt: '2025-01-01T10:00:00.000Z',
  pod: { namespace: 'demo', name: name.replace(/^podvm-/, '').replace(/-[0-9a-f]{8}$/, '') },
  nodeName: 'worker-0',
  peerPod: { namespace: 'demo', name: name.replace(/^podvm-/, '').replace(/-[0-9a-f]{8}$/, '') },
  orphan: false,
  orphanReason: null,
  zone: 'us-east-2a',
  image: 'ami-0123456789abcdef0',
  vcpus: 2,
  memoryMiB: 4096,
  ...overrides,
});

const orphan = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm =>
  vm(name, {
    pod: null,
    nodeName: null,
    peerPod: null,
    orphan: true,
    orphanReason: 'No PeerPod and no live pod claims this VM, and it was launched more than 10 minutes ago.',
    ...overrides,
  });

const inventory = (overrides: Partial<VmInventory> = {}): VmInventory => ({
  provider: 'aws',
  fetchedAt: '2025-01-01T12:00:00.000Z',
  vms: [],
  dangling: [],
  scope: { description: 'Peer-pod instances in subnet subnet-0abc (AWS_SUBNET_ID).', excluded: 0 },
  error: null,
  ...overrides,
});

/** The backend's error answer as consoleFetchJSON throws it: status, message and the JSON body. */
const backendError = (status: number, code: string, message: string) =>
  Object.assign(httpError(status, message), { json: { error: { code, message }, message } });

const pending = () => new Promise<never>(() => undefined);

/** Programs the GETs the tab makes; each entry answers (or fails) every call to that path. */
const answerGets = (answers: { vms?: () => Promise<unknown>; permissions?: () => Promise<unknown> }) =>
  consoleFetchJSON.mockImplementation((url: string) => {
    if (url === backendUrl('/vms')) return (answers.vms ?? pending)();
    if (url === backendUrl('/permissions')) return (answers.permissions ?? pending)();
    return Promise.reject(new Error(`unexpected GET ${url}`));
  });

const serve = (value: VmInventory, permissions: Permissions = ADMIN_PERMISSIONS) =>
  answerGets({ vms: () => Promise.resolve(value), permissions: () => Promise.resolve(permissions) });

const CurrentAddress = () => {
  const { pathname, search } = useLocation();
  return <output aria-label="current address">{pathname + search}</output>;
};

const renderTab = (url = '/peer-pods/virtual-machines') =>
  render(
    <MemoryRouter initialEntries={[url]}>
      <VirtualMachinesTab />
      <CurrentAddress />
    </MemoryRouter>,
  );

const currentAddress = () => screen.getByRole('status', { name: 'current address' }).textContent;

const vmTable = () => screen.findByRole('grid', { name: 'Peer pod virtual machines' });

/** The Name column of the rows shown, top to bottom. */
const rowNames = async () => {
  const table = await vmTable();
  const nameColumn = within(table)
    .getAllByRole('columnheader')
    .findIndex((header) => header.textContent === 'Name');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row.querySelectorAll('td')[nameColumn]!).getByText(/^podvm-/).textContent);
};

const vmGets = () => consoleFetchJSON.mock.calls.filter(([url]) => url === backendUrl('/vms')).length;

describe('Virtual machines tab', () => {
  describe('states', () => {
    it('shows a spinner while the inventory loads', () => {
      answerGets({});

      renderTab();

      expect(screen.getByRole('progressbar', { name: 'Loading the virtual machine inventory' })).toBeInTheDocument();
    });

    it('says when the cloud holds no peer pod VMs', async () => {
      serve(inventory());

      renderTab();

      expect(await screen.findByRole('heading', { name: 'No peer pod VMs' })).toBeInTheDocument();
      expect(screen.queryByRole('grid', { name: 'Peer pod virtual machines' })).not.toBeInTheDocument();
      expect(screen.getByRole('heading', { name: 'PeerPods whose VM is gone' })).toBeInTheDocument();
    });

    it('notes how many peer pod VMs of other clusters it leaves out, and which VMs count as this cluster’s', async () => {
      serve(
        inventory({
          scope: { description: 'Peer-pod instances in subnet subnet-0abc (AWS_SUBNET_ID).', excluded: 3 },
        }),
      );

      renderTab();

      expect(
        await screen.findByText('3 peer pod VMs of other clusters in this account are not shown'),
      ).toBeInTheDocument();
      expect(screen.getByText('Peer-pod instances in subnet subnet-0abc (AWS_SUBNET_ID).')).toBeInTheDocument();
    });

    it('has no such note when the account holds no other cluster’s peer pod VMs', async () => {
      serve(inventory());

      renderTab();

      expect(await screen.findByRole('heading', { name: 'No peer pod VMs' })).toBeInTheDocument();
      expect(screen.queryByText(/of other clusters in this account/)).not.toBeInTheDocument();
    });

    it('explains that peer pods are not configured and points to the Setup tab', async () => {
      serve(
        inventory({
          provider: null,
          fetchedAt: null,
          error: {
            code: 'not_configured',
            message:
              'Secret openshift-sandboxed-containers-operator/peer-pods-secret named by PeerPodConfig peerpodconfig-openshift does not exist',
          },
        }),
      );

      renderTab();

      expect(await screen.findByText('The cloud inventory is not available')).toBeInTheDocument();
      expect(screen.getByText(/Peer pods are not configured yet/)).toBeInTheDocument();
      expect(screen.getByText(/peer-pods-secret named by PeerPodConfig peerpodconfig-openshift/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Open the Setup tab' })).toHaveAttribute('href', '/peer-pods/setup');
    });

    it('explains rejected cloud credentials and points to the Setup tab', async () => {
      serve(
        inventory({
          fetchedAt: null,
          error: { code: 'auth', message: 'AWS rejected the credentials of peer-pods-secret (AuthFailure).' },
        }),
      );

      renderTab();

      expect(await screen.findByText(/The cloud rejected the credentials in the peer pods Secret/)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Open the Setup tab' })).toBeInTheDocument();
    });

    it('names the permission a user without read access needs', async () => {
      answerGets({
        vms: () =>
          Promise.reject(
            backendError(
              403,
              'forbidden',
              'user "viewer" may not list nodes; ask a cluster administrator for that permission',
            ),
          ),
        permissions: () => Promise.resolve(VIEWER_PERMISSIONS),
      });

      renderTab();

      expect(await screen.findByText('Could not load the virtual machines')).toBeInTheDocument();
      expect(screen.getByText(/needs permission to list nodes in the whole cluster/)).toBeInTheDocument();
      expect(screen.queryByText(/user "viewer" may not list nodes/)).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    });

    it('keeps showing the last inventory when the latest one failed, and says so', async () => {
      serve(
        inventory({
          vms: [vm('podvm-web-1a2b3c4d')],
          error: { code: 'unavailable', message: 'EC2 did not answer.' },
        }),
      );

      renderTab();

      expect(await vmTable()).toBeInTheDocument();
      expect(screen.getByText('The last cloud inventory failed; the table shows an older one')).toBeInTheDocument();
      expect(screen.getByText('Error: EC2 did not answer.')).toBeInTheDocument();
    });
  });

  describe('inventory table', () => {
    it('shows each VM with its id, state, type, pod, node and ownership', async () => {
      serve(
        inventory({
          vms: [vm('podvm-web-1a2b3c4d'), orphan('podvm-old-99999999', { state: 'stopped', instanceType: 'm5.large' })],
        }),
      );

      renderTab();

      const table = await vmTable();
      const inUse = within(table).getByRole('row', { name: /podvm-web-1a2b3c4d/ });
      expect(within(inUse).getByText('i-podvm-web-1a2b3c4d')).toBeInTheDocument();
      expect(within(inUse).getByText('Running')).toBeInTheDocument();
      expect(within(inUse).getByText('t3.medium')).toBeInTheDocument();
      // The PeerPod is the pod's namesake: one link says both.
      expect(
        within(inUse)
          .getAllByRole('link', { name: 'web' })
          .map((link) => link.getAttribute('href')),
      ).toEqual(['/k8s/ns/demo/core~v1~Pod/web']);
      expect(within(inUse).getByRole('link', { name: 'worker-0' })).toHaveAttribute(
        'href',
        '/k8s/cluster/core~v1~Node/worker-0',
      );
      expect(within(inUse).getByText('In use')).toBeInTheDocument();

      const orphanRow = within(table).getByRole('row', { name: /podvm-old-99999999/ });
      expect(within(orphanRow).getByText('Orphan')).toBeInTheDocument();
      expect(within(orphanRow).getByText(/No PeerPod and no live pod claims this VM/)).toBeInTheDocument();
      expect(within(orphanRow).getByText('Stopped')).toBeInTheDocument();
      expect(within(orphanRow).getByText('m5.large')).toBeInTheDocument();
    });

    it('links the PeerPod of a VM whose pod is gone, or whose PeerPod is not named after its pod', async () => {
      serve(
        inventory({
          vms: [
            vm('podvm-web-1a2b3c4d', { pod: null }),
            vm('podvm-db-00000002', { peerPod: { namespace: 'demo', name: 'db-replica' } }),
          ],
        }),
      );

      renderTab();

      const table = await vmTable();
      const podGone = within(table).getByRole('row', { name: /podvm-web-1a2b3c4d/ });
      expect(within(podGone).getByRole('link', { name: 'web' })).toHaveAttribute(
        'href',
        '/k8s/ns/demo/confidentialcontainers.org~v1alpha1~PeerPod/web',
      );
      const otherName = within(table).getByRole('row', { name: /podvm-db-00000002/ });
      expect(within(otherName).getByRole('link', { name: 'db' })).toHaveAttribute(
        'href',
        '/k8s/ns/demo/core~v1~Pod/db',
      );
      expect(within(otherName).getByRole('link', { name: 'db-replica' })).toHaveAttribute(
        'href',
        '/k8s/ns/demo/confidentialcontainers.org~v1alpha1~PeerPod/db-replica',
      );
    });

    it('lists PeerPods whose VM is gone', async () => {
      serve(
        inventory({
          vms: [vm('podvm-web-1a2b3c4d')],
          dangling: [{ namespace: 'demo', name: 'lost-pod', instanceId: 'i-0deadbeef' }],
        }),
      );

      renderTab();

      const dangling = await screen.findByRole('grid', { name: 'PeerPods whose VM is gone' });
      expect(within(dangling).getByRole('link', { name: 'lost-pod' })).toHaveAttribute(
        'href',
        '/k8s/ns/demo/confidentialcontainers.org~v1alpha1~PeerPod/lost-pod',
      );
      expect(within(dangling).getByText('i-0deadbeef')).toBeInTheDocument();
    });

    it('shows an EC2 instance id whole under the name, with a button that copies it', async () => {
      const user = userEvent.setup();
      const writeText = vi.fn(() => Promise.resolve());
      vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d', { id: 'i-0123456789abcdef0' })] }));
      renderTab();

      const row = within(await vmTable()).getByRole('row', { name: /podvm-web-1a2b3c4d/ });
      expect(within(row).getByText('i-0123456789abcdef0')).toBeInTheDocument();
      await user.click(within(row).getByRole('button', { name: 'Copy the ID of podvm-web-1a2b3c4d' }));

      expect(writeText).toHaveBeenCalledWith('i-0123456789abcdef0');
      vi.unstubAllGlobals();
    });

    it('shortens an Azure resource id to its beginning and end, whole in its tooltip and in what it copies', async () => {
      const user = userEvent.setup();
      const writeText = vi.fn(() => Promise.resolve());
      vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
      const id =
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/peerpods/providers/Microsoft.Compute/virtualMachines/podvm-web-1a2b3c4d';
      serve(inventory({ provider: 'azure', vms: [vm('podvm-web-1a2b3c4d', { id })] }));
      renderTab();

      const row = within(await vmTable()).getByRole('row', { name: /podvm-web-1a2b3c4d/ });
      const shown = within(row).getByText('/subscript');
      expect(shown).toBeVisible();
      expect(within(row).getByText('b-1a2b3c4d')).toBeVisible();
      await user.hover(shown);
      expect(await screen.findByRole('tooltip')).toHaveTextContent(id);
      await user.click(within(row).getByRole('button', { name: 'Copy the ID of podvm-web-1a2b3c4d' }));

      expect(writeText).toHaveBeenCalledWith(id);
      vi.unstubAllGlobals();
    });

    it('says why a VM is an orphan on its label, read out with it and shown on hover', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [orphan('podvm-old-99999999')] }));
      renderTab();

      const row = within(await vmTable()).getByRole('row', { name: /podvm-old-99999999/ });
      const label = within(row).getByText('Orphan');
      // For screen readers, right after the label; for the eye, in the tooltip only.
      expect(row).toHaveTextContent(/Orphan\s*No PeerPod and no live pod claims this VM/);
      await user.hover(label);

      expect(await screen.findByRole('tooltip')).toHaveTextContent(
        'No PeerPod and no live pod claims this VM, and it was launched more than 10 minutes ago.',
      );
    });

    it('shows only orphans when "Orphans only" is on', async () => {
      const user = userEvent.setup();
      serve(
        inventory({
          vms: [vm('podvm-a-00000001'), orphan('podvm-b-00000002'), vm('podvm-c-00000003'), orphan('podvm-d-00000004')],
        }),
      );
      renderTab();
      expect(await rowNames()).toHaveLength(4);

      await user.click(screen.getByRole('switch', { name: 'Orphans only' }));

      expect(await rowNames()).toEqual(['podvm-b-00000002', 'podvm-d-00000004']);
    });

    it('filters by the text in the filter box', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-web-00000001'), vm('podvm-db-00000002', { nodeName: 'worker-7' })] }));
      renderTab();
      await vmTable();

      await user.type(screen.getByRole('textbox', { name: 'Filter virtual machines' }), 'worker-7');

      expect(await rowNames()).toEqual(['podvm-db-00000002']);
    });

    it('sorts by a column and reverses on a second click', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-b-00000002'), vm('podvm-c-00000003'), vm('podvm-a-00000001')] }));
      renderTab();
      await vmTable();

      await user.click(screen.getByRole('button', { name: 'Name' }));
      expect(await rowNames()).toEqual(['podvm-a-00000001', 'podvm-b-00000002', 'podvm-c-00000003']);

      await user.click(screen.getByRole('button', { name: 'Name' }));
      expect(await rowNames()).toEqual(['podvm-c-00000003', 'podvm-b-00000002', 'podvm-a-00000001']);
    });

    it('pages through many VMs, 20 at a time', async () => {
      const user = userEvent.setup();
      const many = Array.from({ length: 25 }, (_, index) => vm(`podvm-vm${String(index).padStart(2, '0')}-00000000`));
      serve(inventory({ vms: many }));
      renderTab();

      expect(await rowNames()).toHaveLength(20);
      await user.click(screen.getAllByRole('button', { name: 'Go to next page' })[0]!);

      expect(await rowNames()).toEqual(many.slice(20).map((entry) => entry.name));
    });

    it('asks the backend again on Refresh', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d')] }));
      renderTab();
      await vmTable();
      const before = vmGets();

      await user.click(screen.getByRole('button', { name: 'Refresh' }));

      await waitFor(() => expect(vmGets()).toBe(before + 1));
    });
  });

  describe('zone, image and size', () => {
    /** The cell of `column` in the row of the VM `name`. */
    const cellOf = async (name: string, column: string) => {
      const table = await vmTable();
      const index = within(table)
        .getAllByRole('columnheader')
        .findIndex((header) => header.textContent === column);
      return within(table)
        .getByRole('row', { name: new RegExp(name) })
        .querySelectorAll('td')[index]!;
    };

    it('shows each VM’s zone and image, and its instance type with vCPUs and memory', async () => {
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d', { instanceType: 'm6a.large', vcpus: 2, memoryMiB: 8192 })] }));

      renderTab();

      expect(await cellOf('podvm-web-1a2b3c4d', 'Instance type')).toHaveTextContent(/^m6a\.large2 vCPUs · 8 GiB$/);
      expect(await cellOf('podvm-web-1a2b3c4d', 'Zone')).toHaveTextContent(/^us-east-2a$/);
      expect(await cellOf('podvm-web-1a2b3c4d', 'Image')).toHaveTextContent(/^ami-0123456789abcdef0$/);
    });

    it.each([
      [1024, '1 GiB'],
      [1536, '1.5 GiB'],
      [3840, '3.8 GiB'],
      [786_432, '768 GiB'],
      [512, '512 MiB'],
    ])('shows %i MiB of memory as %s', async (memoryMiB, shown) => {
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d', { vcpus: 1, memoryMiB })] }));

      renderTab();

      expect(await cellOf('podvm-web-1a2b3c4d', 'Instance type')).toHaveTextContent(`1 vCPU · ${shown}`);
    });

    it('shows only the instance type until the cloud told its size, and a dash for what it does not know', async () => {
      serve(
        inventory({
          vms: [
            vm('podvm-web-1a2b3c4d', {
              instanceType: 'm6a.large',
              vcpus: null,
              memoryMiB: null,
              zone: null,
              image: null,
            }),
          ],
        }),
      );

      renderTab();

      expect(await cellOf('podvm-web-1a2b3c4d', 'Instance type')).toHaveTextContent(/^m6a\.large$/);
      expect(await cellOf('podvm-web-1a2b3c4d', 'Zone')).toHaveTextContent(/^—$/);
      expect(await cellOf('podvm-web-1a2b3c4d', 'Image')).toHaveTextContent(/^—$/);
    });

    it('keeps the whole image reference in its cell, shortened to the column, and shows all of it on focus', async () => {
      const user = userEvent.setup();
      const image =
        '/subscriptions/0000/resourceGroups/images/providers/Microsoft.Compute/galleries/podvms/images/podvm/versions/0.13.0';
      serve(inventory({ provider: 'azure', vms: [vm('podvm-web-1a2b3c4d', { image, zone: 'eastus-2' })] }));
      renderTab();

      const cell = await cellOf('podvm-web-1a2b3c4d', 'Image');
      // The column's width cuts its middle: the text stays whole, to screen readers and to searches.
      expect(cell).toHaveTextContent(image);
      await user.tab();
      while (!cell.contains(document.activeElement)) await user.tab();

      expect(await screen.findByRole('tooltip')).toHaveTextContent(image);
    });

    it.each([
      ['the zone', 'us-east-2b'],
      ['the image', 'ami-0bbb'],
      ['the instance type', 'm6a.xlarge'],
    ])('filters by %s', async (_what, text) => {
      const user = userEvent.setup();
      serve(
        inventory({
          vms: [
            vm('podvm-a-00000001'),
            vm('podvm-b-00000002', { zone: 'us-east-2b', image: 'ami-0bbb', instanceType: 'm6a.xlarge' }),
          ],
        }),
      );
      renderTab();
      await vmTable();

      await user.type(screen.getByRole('textbox', { name: 'Filter virtual machines' }), text);

      expect(await rowNames()).toEqual(['podvm-b-00000002']);
    });

    it('sorts by zone', async () => {
      const user = userEvent.setup();
      serve(
        inventory({
          vms: [
            vm('podvm-a-00000001', { zone: 'us-east-2c' }),
            vm('podvm-b-00000002', { zone: 'us-east-2a' }),
            vm('podvm-c-00000003', { zone: 'us-east-2b' }),
          ],
        }),
      );
      renderTab();
      await vmTable();

      await user.click(screen.getByRole('button', { name: 'Zone' }));

      expect(await rowNames()).toEqual(['podvm-b-00000002', 'podvm-c-00000003', 'podvm-a-00000001']);
    });
  });

  describe('orphans only in the address', () => {
    const vms = [vm('podvm-a-00000001'), orphan('podvm-forgotten-job-0badc0de'), vm('podvm-c-00000003')];

    it('starts with only the orphans when opened with ?orphans=true', async () => {
      serve(inventory({ vms }));

      renderTab('/peer-pods/virtual-machines?orphans=true');

      expect(await rowNames()).toEqual(['podvm-forgotten-job-0badc0de']);
      expect(screen.getByRole('switch', { name: 'Orphans only' })).toBeChecked();
    });

    it('writes the switch into the address, and takes it out again', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms }));
      renderTab();
      expect(await rowNames()).toHaveLength(3);

      await user.click(screen.getByRole('switch', { name: 'Orphans only' }));
      expect(currentAddress()).toBe('/peer-pods/virtual-machines?orphans=true');

      await user.click(screen.getByRole('switch', { name: 'Orphans only' }));
      expect(currentAddress()).toBe('/peer-pods/virtual-machines');
      expect(await rowNames()).toHaveLength(3);
    });

    it('shows every VM again on "Clear all filters", and drops the parameter', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-a-00000001')] }));
      renderTab('/peer-pods/virtual-machines?orphans=true');

      await user.click(await screen.findByRole('button', { name: 'Clear all filters' }));

      expect(await rowNames()).toEqual(['podvm-a-00000001']);
      expect(currentAddress()).toBe('/peer-pods/virtual-machines');
    });
  });

  describe('CSV export', () => {
    let saved: { fileName: string; blob: Blob }[];

    beforeEach(() => {
      saved = [];
      let blob: Blob | undefined;
      // jsdom has no object URLs and no downloads: keep what would have been saved.
      Object.assign(URL, {
        createObjectURL: (value: Blob) => {
          blob = value;
          return 'blob:vm-inventory';
        },
        revokeObjectURL: () => undefined,
      });
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        saved.push({ fileName: this.download, blob: blob! });
      });
    });

    afterEach(() => vi.restoreAllMocks());

    const csvRows = async () => (await saved[0]!.blob.text()).split('\r\n').filter(Boolean);

    it('saves the VMs that pass the filters, from every page, in the order shown', async () => {
      const user = userEvent.setup();
      const many = Array.from({ length: 25 }, (_, index) =>
        vm(`podvm-web${String(index).padStart(2, '0')}-00000000`, { zone: index % 2 ? 'us-east-2b' : 'us-east-2a' }),
      );
      serve(inventory({ vms: [...many, orphan('podvm-old-99999999', { zone: 'us-east-2b' })] }));
      renderTab();
      await vmTable();
      await user.type(screen.getByRole('textbox', { name: 'Filter virtual machines' }), 'us-east-2a');
      await user.click(screen.getByRole('button', { name: 'Name' }));
      await user.click(screen.getByRole('button', { name: 'Name' }));

      await user.click(screen.getByRole('button', { name: 'Export CSV' }));

      expect(saved).toHaveLength(1);
      expect(saved[0]!.fileName).toMatch(/^peer-pod-vms-\d{8}-\d{6}\.csv$/);
      expect(saved[0]!.blob.type).toBe('text/csv;charset=utf-8');
      const [header, ...rows] = await csvRows();
      expect(header).toBe(
        'id,name,state,instance type,vCPUs,memory MiB,zone,image,launched,pod namespace,pod name,node,PeerPod,orphan,orphan reason',
      );
      const expected = many.filter((entry) => entry.zone === 'us-east-2a').reverse();
      expect(rows.map((row) => row.split(',')[1])).toEqual(expected.map((entry) => entry.name));
      expect(rows[0]).toBe(
        'i-podvm-web24-00000000,podvm-web24-00000000,running,t3.medium,2,4096,us-east-2a,ami-0123456789abcdef0,2025-01-01T10:00:00.000Z,demo,web24,worker-0,demo/web24,false,',
      );
    });

    it('saves the orphans with their reason when only orphans are shown', async () => {
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d'), orphan('podvm-forgotten-job-0badc0de')] }));
      const user = userEvent.setup();
      renderTab('/peer-pods/virtual-machines?orphans=true');
      await vmTable();

      await user.click(screen.getByRole('button', { name: 'Export CSV' }));

      const [, ...rows] = await csvRows();
      expect(rows).toEqual([
        'i-podvm-forgotten-job-0badc0de,podvm-forgotten-job-0badc0de,running,t3.medium,2,4096,us-east-2a,ami-0123456789abcdef0,2025-01-01T10:00:00.000Z,,,,,true,"No PeerPod and no live pod claims this VM, and it was launched more than 10 minutes ago."',
      ]);
    });

    it('offers no export when no VM passes the filters', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d')] }));
      renderTab();
      await vmTable();

      await user.type(screen.getByRole('textbox', { name: 'Filter virtual machines' }), 'nothing like this');

      expect(await screen.findByRole('heading', { name: 'No virtual machines match the filters' })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
    });
  });

  describe('cleanup', () => {
    const orphans = [orphan('podvm-old-11111111'), orphan('podvm-stale-22222222'), orphan('podvm-claimed-33333333')];

    const dryRun: OrphanCleanupResult = {
      dryRun: true,
      confirmation: 'confirmation-of-the-dry-run',
      results: [
        {
          id: 'i-podvm-old-11111111',
          name: 'podvm-old-11111111',
          outcome: 'would-delete',
          message: 'No PeerPod claims it.',
          deletedResources: [],
          resources: [{ kind: 'ec2-instance', name: 'i-podvm-old-11111111' }],
        },
        {
          id: 'i-podvm-stale-22222222',
          name: 'podvm-stale-22222222',
          outcome: 'would-delete',
          message: 'No PeerPod claims it.',
          deletedResources: [],
          resources: [{ kind: 'ec2-instance', name: 'i-podvm-stale-22222222' }],
        },
        {
          id: 'i-podvm-claimed-33333333',
          name: 'podvm-claimed-33333333',
          outcome: 'refused',
          message: 'Not an orphan: a PeerPod claims this VM.',
          deletedResources: [],
          resources: [],
        },
      ],
    };

    const cleanupResult: OrphanCleanupResult = {
      dryRun: false,
      results: [
        {
          id: 'i-podvm-old-11111111',
          name: 'podvm-old-11111111',
          outcome: 'deleted',
          message: 'deleted 1 cloud resource(s)',
          deletedResources: ['i-podvm-old-11111111'],
          resources: [{ kind: 'ec2-instance', name: 'i-podvm-old-11111111' }],
        },
        {
          id: 'i-podvm-stale-22222222',
          name: 'podvm-stale-22222222',
          outcome: 'failed',
          message: 'AWS refused TerminateInstances for i-podvm-stale-22222222 (UnauthorizedOperation).',
          deletedResources: [],
          resources: [],
        },
      ],
    };

    const postCalls = () => consoleFetchJSON.post.mock.calls;

    it('previews with a dry run, deletes only after the typed confirmation, and shows each outcome', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d'), ...orphans] }));
      let finishCleanup: (result: OrphanCleanupResult) => void = () => undefined;
      consoleFetchJSON.post.mockImplementation((url: string, body: { dryRun: boolean }) => {
        expect(url).toBe(backendUrl('/vms/cleanup'));
        if (body.dryRun) return Promise.resolve(dryRun);
        return new Promise((resolve) => {
          finishCleanup = resolve;
        });
      });
      renderTab();
      const table = await vmTable();

      // Only orphans can be selected.
      expect(within(table).queryByRole('checkbox', { name: 'Select podvm-web-1a2b3c4d' })).not.toBeInTheDocument();
      await user.click(await screen.findByRole('checkbox', { name: 'Select the orphans on this page' }));
      expect(screen.getByText('Selected: 3')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      // First the dry run, for exactly the selected VMs.
      expect(postCalls()).toHaveLength(1);
      expect(postCalls()[0]![1]).toEqual({
        vmIds: ['i-podvm-old-11111111', 'i-podvm-stale-22222222', 'i-podvm-claimed-33333333'],
        dryRun: true,
      });
      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      const preview = await within(dialog).findByRole('grid', { name: 'Dry run result' });
      const oldRow = within(preview).getByRole('row', { name: /podvm-old-11111111/ });
      expect(within(oldRow).getByText('Will be deleted')).toBeInTheDocument();
      expect(within(oldRow).getByText('EC2 instance i-podvm-old-11111111')).toBeInTheDocument();
      expect(within(preview).getByRole('row', { name: /podvm-stale-22222222/ })).toHaveTextContent('Will be deleted');
      const refused = within(preview).getByRole('row', { name: /podvm-claimed-33333333/ });
      expect(within(refused).getByText('Refused')).toBeInTheDocument();
      expect(within(refused).getByText('Not an orphan: a PeerPod claims this VM.')).toBeInTheDocument();

      // The real call waits for the typed count.
      const deleteButton = within(dialog).getByRole('button', { name: 'Delete' });
      expect(deleteButton).toBeDisabled();
      await user.type(within(dialog).getByRole('textbox', { name: /Type 2 to confirm/ }), '3');
      expect(deleteButton).toBeDisabled();
      await user.click(deleteButton);
      expect(postCalls()).toHaveLength(1);

      await user.clear(within(dialog).getByRole('textbox', { name: /Type 2 to confirm/ }));
      await user.type(within(dialog).getByRole('textbox', { name: /Type 2 to confirm/ }), '2');
      const gets = vmGets();
      await user.click(deleteButton);

      // Only the VMs the dry run approved are sent, with the confirmation it returned.
      expect(postCalls()).toHaveLength(2);
      expect(postCalls()[1]![1]).toEqual({
        vmIds: ['i-podvm-old-11111111', 'i-podvm-stale-22222222'],
        dryRun: false,
        confirmation: 'confirmation-of-the-dry-run',
      });
      expect(within(dialog).getByRole('progressbar', { name: 'Deleting the virtual machines' })).toBeInTheDocument();
      expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeDisabled();

      finishCleanup(cleanupResult);

      const outcome = await within(dialog).findByRole('grid', { name: 'Cleanup result' });
      expect(within(dialog).getByText('Cleanup finished: 1 deleted, 0 refused, 1 failed')).toBeInTheDocument();
      expect(
        within(within(outcome).getByRole('row', { name: /podvm-old-11111111/ })).getByText('Deleted'),
      ).toBeInTheDocument();
      const failedRow = within(outcome).getByRole('row', { name: /podvm-stale-22222222/ });
      expect(within(failedRow).getByText('Failed')).toBeInTheDocument();
      expect(within(failedRow).getByText(/UnauthorizedOperation/)).toBeInTheDocument();
      // The inventory is read again.
      await waitFor(() => expect(vmGets()).toBeGreaterThan(gets));

      await user.click(within(dialog).getByRole('button', { name: 'Close' }));
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });

    it('shows the VMs a cleanup deleted as being deleted at once, then the inventory listed after it', async () => {
      const user = userEvent.setup();
      const before = inventory({ vms: [vm('podvm-web-1a2b3c4d'), ...orphans] });
      const after = inventory({
        fetchedAt: '2025-01-01T12:05:00.000Z',
        vms: [vm('podvm-web-1a2b3c4d'), orphans[1]!, orphans[2]!],
      });
      // The inventory read after the cleanup answers only when the test says so.
      let answerAfter: (value: VmInventory) => void = () => undefined;
      let cleanedUp = false;
      answerGets({
        vms: () =>
          cleanedUp
            ? new Promise((resolve) => {
                answerAfter = resolve;
              })
            : Promise.resolve(before),
        permissions: () => Promise.resolve(ADMIN_PERMISSIONS),
      });
      consoleFetchJSON.post.mockImplementation((_url: string, body: { dryRun: boolean }) => {
        if (body.dryRun) return Promise.resolve(dryRun);
        cleanedUp = true;
        return Promise.resolve(cleanupResult);
      });
      renderTab();
      const table = await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-old-11111111' }));
      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-stale-22222222' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));
      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      await user.type(await within(dialog).findByRole('textbox', { name: /Type 2 to confirm/ }), '2');
      await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
      expect(await within(dialog).findByText('Cleanup finished: 1 deleted, 0 refused, 1 failed')).toBeInTheDocument();

      await user.click(within(dialog).getByRole('button', { name: 'Close' }));

      // The table still holds the listing taken before the cleanup: the deleted VM is not shown running.
      const deleted = within(table).getByRole('row', { name: /podvm-old-11111111/ });
      expect(within(deleted).getByText('Deleting')).toBeInTheDocument();
      expect(within(deleted).queryByText('Running')).not.toBeInTheDocument();
      expect(within(deleted).queryByText('Orphan')).not.toBeInTheDocument();
      expect(
        within(deleted).getByText('A cleanup deleted this VM; the cloud has not removed it yet.'),
      ).toBeInTheDocument();
      expect(within(deleted).queryByRole('checkbox')).not.toBeInTheDocument();
      // The one whose deletion failed is still a running orphan.
      const failed = within(table).getByRole('row', { name: /podvm-stale-22222222/ });
      expect(within(failed).getByText('Running')).toBeInTheDocument();
      expect(within(failed).getByText('Orphan')).toBeInTheDocument();

      // The inventory the backend listed after the cleanup replaces it.
      await waitFor(() => expect(vmGets()).toBe(2));
      answerAfter(after);
      await waitFor(() =>
        expect(within(table).queryByRole('row', { name: /podvm-old-11111111/ })).not.toBeInTheDocument(),
      );
      expect(within(table).getByRole('row', { name: /podvm-stale-22222222/ })).toHaveTextContent('Orphan');
    });

    it('names what Azure deletes with each VM: the VM, its network interface and its disk', async () => {
      const user = userEvent.setup();
      serve(inventory({ provider: 'azure', vms: [orphan('podvm-old-11111111')] }));
      const azureResources: OrphanCleanupResult['results'][number]['resources'] = [
        { kind: 'virtual-machine', name: 'podvm-old-11111111' },
        { kind: 'network-interface', name: 'podvm-old-11111111-net' },
        { kind: 'disk', name: 'podvm-old-11111111-disk' },
      ];
      consoleFetchJSON.post.mockResolvedValue({
        dryRun: true,
        results: [{ ...dryRun.results[0]!, resources: azureResources }],
      });
      renderTab();
      await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-old-11111111' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      expect(await within(dialog).findByText('Virtual machine podvm-old-11111111')).toBeInTheDocument();
      expect(within(dialog).getByText('Network interface podvm-old-11111111-net')).toBeInTheDocument();
      expect(within(dialog).getByText('Disk podvm-old-11111111-disk')).toBeInTheDocument();
    });

    it('lists what the dry run says goes with each VM, and after the cleanup what went', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [orphan('podvm-old-11111111')] }));
      const withVolume: OrphanCleanupResult['results'][number] = {
        ...dryRun.results[0]!,
        resources: [
          { kind: 'ec2-instance', name: 'i-podvm-old-11111111' },
          { kind: 'disk', name: 'vol-0root' },
        ],
      };
      consoleFetchJSON.post.mockImplementation((_url: string, body: { dryRun: boolean }) =>
        Promise.resolve(
          body.dryRun
            ? { dryRun: true, confirmation: 'confirmation-of-the-dry-run', results: [withVolume] }
            : {
                dryRun: false,
                results: [{ ...cleanupResult.results[0]!, resources: withVolume.resources }],
              },
        ),
      );
      renderTab();
      await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-old-11111111' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      const preview = await within(dialog).findByRole('grid', { name: 'Dry run result' });
      const planned = within(within(preview).getByRole('row', { name: /podvm-old-11111111/ })).getAllByRole('listitem');
      expect(planned.map((item) => item.textContent)).toEqual(['EC2 instance i-podvm-old-11111111', 'Disk vol-0root']);

      await user.type(within(dialog).getByRole('textbox', { name: /Type 1 to confirm/ }), '1');
      await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

      const outcome = await within(dialog).findByRole('grid', { name: 'Cleanup result' });
      const deletedRow = within(outcome).getByRole('row', { name: /podvm-old-11111111/ });
      expect(within(deletedRow).getByText('Deleted:')).toBeInTheDocument();
      expect(
        within(deletedRow)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual(['EC2 instance i-podvm-old-11111111', 'Disk vol-0root']);
    });

    it('names no cloud resource the dry run does not list', async () => {
      const user = userEvent.setup();
      serve(inventory({ provider: 'azure', vms: [orphan('podvm-old-11111111')] }));
      consoleFetchJSON.post.mockResolvedValue({
        dryRun: true,
        results: [{ ...dryRun.results[0]!, resources: [{ kind: 'virtual-machine', name: 'podvm-old-11111111' }] }],
      });
      renderTab();
      await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-old-11111111' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      expect(await within(dialog).findByText('Virtual machine podvm-old-11111111')).toBeInTheDocument();
      expect(within(dialog).queryByText(/podvm-old-11111111-net|podvm-old-11111111-disk/)).not.toBeInTheDocument();
    });

    it('offers no deletion when the dry run refuses every VM', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [orphan('podvm-claimed-33333333')] }));
      consoleFetchJSON.post.mockResolvedValue({ dryRun: true, results: [dryRun.results[2]!] });
      renderTab();
      await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-claimed-33333333' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      expect(await within(dialog).findByText('Dry run: none of the selected VMs can be deleted')).toBeInTheDocument();
      expect(within(dialog).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    });

    it('explains a refused dry run (403) with the permission it needs', async () => {
      const user = userEvent.setup();
      serve(inventory({ vms: [orphan('podvm-old-11111111')] }));
      consoleFetchJSON.post.mockRejectedValue(
        backendError(403, 'forbidden', 'user "admin" may not patch peerpodconfigs.confidentialcontainers.org'),
      );
      renderTab();
      await vmTable();

      await user.click(await screen.findByRole('checkbox', { name: 'Select podvm-old-11111111' }));
      await user.click(screen.getByRole('button', { name: 'Clean up' }));

      const dialog = await screen.findByRole('dialog', { name: 'Clean up orphan VMs' });
      expect(await within(dialog).findByText('The dry run failed')).toBeInTheDocument();
      expect(within(dialog).getByText(/Cleaning up VMs needs permission to patch PeerPodConfigs/)).toBeInTheDocument();
      expect(within(dialog).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    });

    it('gives a user who may not change the cloud no cleanup action, and says why', async () => {
      serve(inventory({ vms: [vm('podvm-web-1a2b3c4d'), orphan('podvm-old-11111111')] }), VIEWER_PERMISSIONS);

      renderTab();

      expect(await screen.findByText('You can view the virtual machines but not clean them up')).toBeInTheDocument();
      expect(
        screen.getByText(
          /Deleting orphan VMs needs permission to patch PeerPodConfigs in the namespace openshift-sandboxed-containers-operator/,
        ),
      ).toBeInTheDocument();
      const table = await vmTable();
      expect(within(table).getByText('Orphan')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Clean up' })).not.toBeInTheDocument();
      expect(within(table).queryByRole('checkbox')).not.toBeInTheDocument();
    });
  });
});
