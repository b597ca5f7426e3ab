import { render, screen, waitFor, within } from '@testing-library/react';
import { ADMIN_PERMISSIONS, VIEWER_PERMISSIONS } from '../../../test/fixtures';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom-v5-compat';

import { backendUrl, type PortRulesApplyResult, type PortRulesReport } from '../../../api/backend';
import { wholeCodeIn } from '../../../test/codeBlock';
import { consoleFetchJSON, httpError } from '../../../test/sdk-mock';
import { check, setupReport } from '../setup/setupTestData';
import SetupTab from '../setup/SetupTab';
import NetworkSetupTab from './NetworkSetupTab';

type PortRule = PortRulesReport['rules'][number];

const GROUP = 'sg-0123456789abcdef0';

const rule = (
  key: string,
  port: number,
  state: PortRule['state'],
  protocol: PortRule['protocol'] = 'tcp',
): PortRule => ({
  id: `${key}/${GROUP}`,
  description: key,
  protocol,
  port,
  state,
  detail:
    state === 'present'
      ? `${GROUP} already allows ${protocol.toUpperCase()} ${port} from itself.`
      : `${GROUP} does not allow ${protocol.toUpperCase()} ${port} from itself; an ingress rule will be added.`,
  name: null,
  priority: null,
});

const command = (port: number, protocol = 'tcp') =>
  `aws ec2 authorize-security-group-ingress --region us-east-2 --group-id ${GROUP} --protocol ${protocol} --port ${port} --source-group ${GROUP}`;

const awsReport = (rules: PortRule[], overrides: Partial<PortRulesReport> = {}): PortRulesReport => ({
  platform: 'aws',
  target: { region: 'us-east-2', workerInstanceId: 'i-0worker', securityGroups: GROUP },
  rules,
  commands: rules.filter((r) => r.state !== 'present').map((r) => command(r.port, r.protocol)),
  notes: [],
  canApply: rules.some((r) => r.state !== 'present'),
  ...overrides,
});

const MISSING = awsReport([rule('kata-agent', 15150, 'missing'), rule('vxlan', 9000, 'present')]);
const ALL_OPEN = awsReport([rule('kata-agent', 15150, 'present'), rule('vxlan', 9000, 'present')]);

const backendError = (status: number, code: string, message: string) =>
  Object.assign(httpError(status, message), { json: { error: { code, message }, message } });

const pending = () => new Promise<never>(() => undefined);

type Answers = {
  ports?: (includeUdp: boolean) => Promise<unknown>;
  permissions?: () => Promise<unknown>;
};

const answerGets = ({ ports = pending, permissions = () => Promise.resolve(ADMIN_PERMISSIONS) }: Answers) =>
  consoleFetchJSON.mockImplementation((url: string) => {
    if (url === backendUrl('/ports?fresh=true')) return ports(false);
    if (url === backendUrl('/ports?fresh=true&includeUdp=true')) return ports(true);
    if (url === backendUrl('/permissions')) return permissions();
    return Promise.reject(new Error(`unexpected GET ${url}`));
  });

/** After an apply the backend reads the rules again: `after` is what the second read returns. */
const serveReports = (first: PortRulesReport, after: PortRulesReport = first, permissions = ADMIN_PERMISSIONS) => {
  let reads = 0;
  answerGets({
    ports: () => Promise.resolve(reads++ === 0 ? first : after),
    permissions: () => Promise.resolve(permissions),
  });
};

const portGets = () => consoleFetchJSON.mock.calls.filter(([url]) => String(url).startsWith(backendUrl('/ports')));

const renderTab = () =>
  render(
    <MemoryRouter>
      <NetworkSetupTab />
    </MemoryRouter>,
  );

const next = (user: ReturnType<typeof userEvent.setup>) => user.click(screen.getByRole('button', { name: 'Next' }));

const stepHeading = (name: string) => screen.findByRole('heading', { level: 2, name });

/** Opens a step from the wizard's navigation. */
const openStep = async (user: ReturnType<typeof userEvent.setup>, name: string) => {
  await user.click(within(screen.getByRole('navigation', { name: 'Port setup steps' })).getByRole('button', { name }));
  await stepHeading(name);
};

describe('Network setup tab: port wizard', () => {
  it('lists the six steps in order', async () => {
    serveReports(MISSING);

    renderTab();

    await stepHeading('Planned changes');
    const nav = screen.getByRole('navigation', { name: 'Port setup steps' });
    expect(
      within(nav)
        .getAllByRole('button')
        .map((step) => step.textContent),
    ).toEqual(['Platform', 'Discovery', 'Rule status', 'Planned changes', 'Apply', 'Verification']);
  });

  it('detects the platform while the report loads, and keeps the next steps closed', () => {
    answerGets({ permissions: pending });

    renderTab();

    expect(screen.getByRole('progressbar', { name: 'Detecting the platform' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
  });

  it('walks from detection to verification, applying the missing rule', async () => {
    const user = userEvent.setup();
    const verified = awsReport([rule('kata-agent', 15150, 'present'), rule('vxlan', 9000, 'present')], {
      commands: [],
    });
    serveReports(MISSING, ALL_OPEN);
    let finishApply: (result: PortRulesApplyResult) => void = () => undefined;
    consoleFetchJSON.post.mockImplementation(
      () =>
        new Promise((resolve) => {
          finishApply = resolve;
        }),
    );
    renderTab();
    // A rule is missing, so the wizard opens on the planned changes; the walk starts from its first step.
    await stepHeading('Planned changes');

    // 1. Platform
    await openStep(user, 'Platform');
    expect(screen.getByText('Amazon Web Services (AWS)')).toBeInTheDocument();

    // 2. Discovery
    await next(user);
    await stepHeading('Discovery');
    const found = screen.getByLabelText('Discovered network resources');
    const terms = within(found)
      .getAllByRole('term')
      .map((term) => term.textContent);
    const definitions = within(found)
      .getAllByRole('definition')
      .map((definition) => definition.textContent);
    expect(Object.fromEntries(terms.map((term, index) => [term, definitions[index]]))).toEqual({
      Region: 'us-east-2',
      'Worker instance': 'i-0worker',
      'Security groups': GROUP,
    });

    // 3. Rule status
    await next(user);
    await stepHeading('Rule status');
    const rules = screen.getByRole('grid', { name: 'Port rules' });
    const kataAgent = within(rules).getByRole('row', { name: /TCP 15150/ });
    expect(within(kataAgent).getByText('Missing')).toBeInTheDocument();
    expect(within(kataAgent).getByText(/does not allow TCP 15150 from itself/)).toBeInTheDocument();
    expect(within(within(rules).getByRole('row', { name: /TCP 9000/ })).getByText('Present')).toBeInTheDocument();

    // 4. Planned changes, with the command to copy
    await next(user);
    await stepHeading('Planned changes');
    expect(within(screen.getByRole('list', { name: 'Planned rule changes' })).getByRole('listitem')).toHaveTextContent(
      `Allow TCP port 15150 between the instances of the security group ${GROUP}`,
    );
    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 1' }))).toBe(command(15150));
    await user.click(screen.getByRole('button', { name: 'Copy command 1' }));
    expect(await navigator.clipboard.readText()).toBe(command(15150));

    // 5. Apply, with per-rule progress
    await next(user);
    await stepHeading('Apply');
    const progress = screen.getByRole('grid', { name: 'Apply progress' });
    expect(within(progress).getAllByRole('row')).toHaveLength(2);
    expect(within(progress).getByText('Waiting')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Apply changes' }));

    expect(consoleFetchJSON.post).toHaveBeenCalledTimes(1);
    expect(consoleFetchJSON.post).toHaveBeenCalledWith(backendUrl('/ports/apply'), { includeUdp: false });
    expect(within(progress).getByRole('progressbar', { name: 'Applying' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    finishApply({
      results: [
        { id: `kata-agent/${GROUP}`, outcome: 'created', message: 'cloud id sgr-0abc' },
        { id: `vxlan/${GROUP}`, outcome: 'already-present', message: 'unchanged' },
      ],
      verified,
    });

    const created = await within(progress).findByText('Created');
    expect(created.closest('tr')).toHaveTextContent('cloud id sgr-0abc');
    expect(screen.getByRole('progressbar', { name: 'Rules applied' })).toHaveAttribute('aria-valuenow', '100');
    expect(screen.getByText('The changes are applied')).toBeInTheDocument();
    // The status is read again after applying.
    await waitFor(() => expect(portGets()).toHaveLength(2));

    // 6. Verification
    await next(user);
    await stepHeading('Verification');
    expect(screen.getByText('Verified: every required port is open')).toBeInTheDocument();
    const verifiedRules = screen.getByRole('grid', { name: 'Verified port rules' });
    expect(within(verifiedRules).getAllByText('Present')).toHaveLength(2);
  });

  it('shows the pod VMs’ security groups from AWS_SG_IDS and the group each rule lets in', async () => {
    const user = userEvent.setup();
    const crossGroup = (key: string, port: number, target: string, source: string): PortRule => ({
      ...rule(key, port, 'missing'),
      id: `${key}/${target}/${source}`,
      detail: `${target} does not allow TCP ${port} from ${source}; an ingress rule will be added.`,
    });
    serveReports(
      awsReport(
        [
          crossGroup('kata-agent', 15150, 'sg-pods', 'sg-workers'),
          crossGroup('vxlan', 9000, 'sg-pods', 'sg-workers'),
          crossGroup('vxlan', 9000, 'sg-workers', 'sg-pods'),
        ],
        {
          target: {
            region: 'us-east-2',
            workerInstanceId: 'i-0worker',
            securityGroups: 'sg-workers',
            podVmSecurityGroups: 'sg-pods (AWS_SG_IDS)',
          },
          commands: [
            'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-pods --protocol tcp --port 15150 --source-group sg-workers',
            'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-pods --protocol tcp --port 9000 --source-group sg-workers',
            'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-workers --protocol tcp --port 9000 --source-group sg-pods',
          ],
        },
      ),
    );
    renderTab();
    await stepHeading('Planned changes');

    await openStep(user, 'Discovery');
    const found = screen.getByLabelText('Discovered network resources');
    expect(within(found).getByText('Pod VM security groups')).toBeInTheDocument();
    expect(within(found).getByText('sg-pods (AWS_SG_IDS)')).toBeInTheDocument();

    await next(user);
    await stepHeading('Rule status');
    const rows = within(screen.getByRole('grid', { name: 'Port rules' }))
      .getAllByRole('row')
      .slice(1);
    // The "Where" column: the group the rule goes into, and the group it lets in.
    const where = rows.map((row) => within(row).getAllByRole('cell')[2]!);
    expect(where.map((cell) => within(cell).getByText(/^sg-/).textContent)).toEqual([
      'sg-pods',
      'sg-pods',
      'sg-workers',
    ]);
    expect(where.map((cell) => within(cell).getByText(/^from /).textContent)).toEqual([
      'from sg-workers',
      'from sg-workers',
      'from sg-pods',
    ]);

    await next(user);
    await stepHeading('Planned changes');
    expect(
      within(screen.getByRole('list', { name: 'Planned rule changes' }))
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringMatching(/^Allow TCP port 15150 into the security group sg-pods from the security group sg-workers/),
      expect.stringMatching(/^Allow TCP port 9000 into the security group sg-pods from the security group sg-workers/),
      expect.stringMatching(/^Allow TCP port 9000 into the security group sg-workers from the security group sg-pods/),
    ]);
  });

  it('says everything is already open when every rule is present, and offers nothing to apply', async () => {
    const user = userEvent.setup();
    serveReports(ALL_OPEN);
    renderTab();
    // Said first: the wizard opens on its verdict.
    expect(await stepHeading('Verification')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Everything is already open' })).toBeInTheDocument();

    await openStep(user, 'Rule status');
    expect(screen.getByText('Every required rule is present')).toBeInTheDocument();

    await openStep(user, 'Planned changes');
    expect(screen.getByRole('heading', { name: 'Everything is already open' })).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: /^Command/ })).not.toBeInTheDocument();

    await openStep(user, 'Apply');
    expect(screen.getByRole('heading', { name: 'Everything is already open' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply changes' })).not.toBeInTheDocument();

    await openStep(user, 'Verification');
    expect(screen.getByRole('heading', { name: 'Everything is already open' })).toBeInTheDocument();
    expect(consoleFetchJSON.post).not.toHaveBeenCalled();
  });

  it('shows a failed apply with the backend’s reason, and reads the rule status again', async () => {
    const user = userEvent.setup();
    serveReports(MISSING);
    consoleFetchJSON.post.mockRejectedValue(
      backendError(
        502,
        'cloud_permission',
        'AWS refused AuthorizeSecurityGroupIngress on security group sg-0123456789abcdef0 (UnauthorizedOperation).',
      ),
    );
    renderTab();
    await stepHeading('Planned changes');
    await openStep(user, 'Apply');

    await user.click(screen.getByRole('button', { name: 'Apply changes' }));

    expect(await screen.findByText('Applying the rules failed')).toBeInTheDocument();
    expect(screen.getByText(/cloud credentials in the peer pods Secret are valid but not allowed/)).toBeInTheDocument();
    expect(screen.getByText(/UnauthorizedOperation/)).toBeInTheDocument();
    const progress = screen.getByRole('grid', { name: 'Apply progress' });
    expect(within(progress).getByText('Not confirmed')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply again' })).toBeEnabled();
    await waitFor(() => expect(portGets()).toHaveLength(2));
  });

  it('marks each rule the backend could not create, with its message', async () => {
    const user = userEvent.setup();
    const bothMissing = awsReport([rule('kata-agent', 15150, 'missing'), rule('vxlan', 9000, 'missing')]);
    serveReports(bothMissing);
    consoleFetchJSON.post.mockResolvedValue({
      results: [
        { id: `kata-agent/${GROUP}`, outcome: 'created', message: 'cloud id sgr-0abc' },
        { id: `vxlan/${GROUP}`, outcome: 'failed', message: 'The rule limit of the security group is reached.' },
      ],
      verified: awsReport([rule('kata-agent', 15150, 'present'), rule('vxlan', 9000, 'missing')], { commands: [] }),
    } satisfies PortRulesApplyResult);
    renderTab();
    await stepHeading('Planned changes');
    await openStep(user, 'Apply');

    await user.click(screen.getByRole('button', { name: 'Apply changes' }));

    const progress = screen.getByRole('grid', { name: 'Apply progress' });
    const failedRow = (await within(progress).findByText('Failed')).closest('tr')!;
    expect(failedRow).toHaveTextContent('TCP 9000');
    expect(failedRow).toHaveTextContent('The rule limit of the security group is reached.');
    expect(screen.getByRole('progressbar', { name: 'Rules applied' })).toHaveAttribute('aria-valuenow', '50');
    expect(screen.getByText('Some rules could not be applied')).toBeInTheDocument();

    await next(user);
    await stepHeading('Verification');
    expect(screen.getByText('Verification found rules that are still not open')).toBeInTheDocument();
  });

  it('shows a user without permission the commands and why, instead of an apply button', async () => {
    const user = userEvent.setup();
    serveReports(MISSING, MISSING, VIEWER_PERMISSIONS);
    renderTab();
    await stepHeading('Planned changes');

    await openStep(user, 'Apply');

    expect(screen.getByText('You cannot apply these changes from the console')).toBeInTheDocument();
    expect(
      screen.getByText(
        /needs permission to patch PeerPodConfigs in the namespace openshift-sandboxed-containers-operator/,
      ),
    ).toBeInTheDocument();
    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 1' }))).toBe(command(15150));
    expect(screen.queryByRole('button', { name: 'Apply changes' })).not.toBeInTheDocument();
  });

  it('explains a platform the wizard cannot handle and points to the Setup tab', async () => {
    answerGets({
      ports: () =>
        Promise.reject(
          backendError(
            409,
            'cloud_invalid_config',
            'CLOUD_PROVIDER in ConfigMap openshift-sandboxed-containers-operator/peer-pods-cm must be aws or azure',
          ),
        ),
    });

    renderTab();

    expect(await screen.findByText('Could not detect the platform')).toBeInTheDocument();
    expect(screen.getByText(/This wizard opens ports on AWS and Azure/)).toBeInTheDocument();
    expect(screen.getByText(/CLOUD_PROVIDER in ConfigMap .* must be aws or azure/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the Setup tab' })).toHaveAttribute('href', '/peer-pods/setup');
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    const nav = screen.getByRole('navigation', { name: 'Port setup steps' });
    expect(within(nav).getByRole('button', { name: 'Apply' })).toBeDisabled();
  });

  it('names the permission needed to read the port rules', async () => {
    answerGets({
      ports: () => Promise.reject(backendError(403, 'forbidden', 'user "viewer" may not list nodes')),
      permissions: () => Promise.resolve(VIEWER_PERMISSIONS),
    });

    renderTab();

    expect(await screen.findByText(/Reading the port rules needs permission to list nodes/)).toBeInTheDocument();
  });

  it('adds the UDP VXLAN rule on request', async () => {
    const user = userEvent.setup();
    const withUdp = awsReport([
      rule('kata-agent', 15150, 'present'),
      rule('vxlan', 9000, 'present'),
      rule('vxlan-udp', 9000, 'missing', 'udp'),
    ]);
    answerGets({ ports: (includeUdp) => Promise.resolve(includeUdp ? withUdp : ALL_OPEN) });
    consoleFetchJSON.post.mockReturnValue(pending());
    renderTab();
    await stepHeading('Verification');
    await openStep(user, 'Rule status');
    expect(within(screen.getByRole('grid', { name: 'Port rules' })).getAllByRole('row')).toHaveLength(3);

    await user.click(screen.getByRole('checkbox', { name: 'Also open the VXLAN port for UDP' }));

    const udp = await within(await screen.findByRole('grid', { name: 'Port rules' })).findByRole('row', {
      name: /UDP 9000/,
    });
    expect(within(udp).getByText('Missing')).toBeInTheDocument();
    expect(consoleFetchJSON).toHaveBeenCalledWith(backendUrl('/ports?fresh=true&includeUdp=true'));
    // A later report does not move the admin off the step they are on.
    expect(screen.getByRole('heading', { level: 2, name: 'Rule status' })).toBeInTheDocument();

    await openStep(user, 'Apply');
    await user.click(screen.getByRole('button', { name: 'Apply changes' }));
    expect(consoleFetchJSON.post).toHaveBeenCalledWith(backendUrl('/ports/apply'), { includeUdp: true });
  });

  it('names the NSG rule to add or change, and the network security group it belongs to, on Azure', async () => {
    const nsg =
      '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/networkSecurityGroups/nsg-workers';
    const nsgRule = (key: string, name: string, port: number, state: PortRule['state']): PortRule => ({
      ...rule(key, port, state),
      id: `${key}/${nsg}`,
      detail: `${name} is missing.`,
      name,
      priority: 112,
    });
    serveReports({
      platform: 'azure',
      target: { resourceGroup: 'rg-1', networkSecurityGroup: 'nsg-workers', subnet: 'worker-subnet' },
      rules: [
        nsgRule('kata-agent', 'Allow-Kata-Agent-Internal', 15150, 'missing'),
        nsgRule('vxlan', 'Allow-VXLAN-Internal', 9000, 'conflicting'),
      ],
      commands: [],
      notes: [],
      canApply: true,
    });

    renderTab();

    await stepHeading('Planned changes');
    const changes = within(screen.getByRole('list', { name: 'Planned rule changes' })).getAllByRole('listitem');
    expect(changes).toHaveLength(2);
    expect(
      within(changes[0]!).getByText(
        'Add the rule Allow-Kata-Agent-Internal to the network security group nsg-workers: allow TCP port 15150 within the worker subnet',
      ),
    ).toBeInTheDocument();
    expect(within(changes[0]!).getByText('The peer pods shim reaching the kata-agent in the VM')).toBeInTheDocument();
    expect(
      within(changes[1]!).getByText(
        'Change the rule Allow-VXLAN-Internal of the network security group nsg-workers to allow TCP port 9000 within the worker subnet',
      ),
    ).toBeInTheDocument();
  });

  it('starts over from the platform with a fresh report on "Run again"', async () => {
    const user = userEvent.setup();
    serveReports(ALL_OPEN);
    renderTab();
    await stepHeading('Verification');

    await user.click(screen.getByRole('button', { name: 'Run again' }));

    expect(await stepHeading('Platform')).toBeInTheDocument();
    await waitFor(() => expect(portGets()).toHaveLength(2));
  });
});

describe('Network setup tab: where the wizard opens', () => {
  const currentStep = () =>
    within(screen.getByRole('navigation', { name: 'Port setup steps' }))
      .getAllByRole('button')
      .find((step) => step.getAttribute('aria-current') === 'step')?.textContent;

  it('opens on the planned changes, showing the missing rule, when a rule is missing', async () => {
    serveReports(MISSING);

    renderTab();

    await stepHeading('Planned changes');
    expect(currentStep()).toBe('Planned changes');
    expect(within(screen.getByRole('list', { name: 'Planned rule changes' })).getByRole('listitem')).toHaveTextContent(
      `Allow TCP port 15150 between the instances of the security group ${GROUP}`,
    );
  });

  it('says first that everything is already open when no rule is missing', async () => {
    serveReports(ALL_OPEN);

    renderTab();

    await stepHeading('Verification');
    expect(currentStep()).toBe('Verification');
    expect(screen.getByRole('heading', { name: 'Everything is already open' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run again' })).toBeEnabled();
  });

  it('lands on the planned changes from the Setup tab’s failed Ports check', async () => {
    const user = userEvent.setup();
    const ports = check(
      'ports',
      'fail',
      'portsMissing',
      { rules: 'TCP 15150 (kata-agent)' },
      {
        kind: 'action',
        action: 'open-port-wizard',
      },
    );
    consoleFetchJSON.mockImplementation((url: string) => {
      if (url === backendUrl('/setup')) return Promise.resolve(setupReport([ports]));
      if (url === backendUrl('/ports?fresh=true')) return Promise.resolve(MISSING);
      if (url === backendUrl('/permissions')) return Promise.resolve(ADMIN_PERMISSIONS);
      return pending();
    });
    render(
      <MemoryRouter initialEntries={['/peer-pods/setup']}>
        <Routes>
          <Route path="/peer-pods/setup" element={<SetupTab />} />
          <Route path="/peer-pods/network-setup" element={<NetworkSetupTab />} />
        </Routes>
      </MemoryRouter>,
    );

    await user.click(await screen.findByRole('button', { name: 'Open the port wizard' }));

    await stepHeading('Planned changes');
    expect(currentStep()).toBe('Planned changes');
    expect(within(screen.getByRole('list', { name: 'Planned rule changes' })).getByRole('listitem')).toHaveTextContent(
      `Allow TCP port 15150 between the instances of the security group ${GROUP}`,
    );
  });

  it('stays on the platform when the report cannot be read', async () => {
    answerGets({ ports: () => Promise.reject(backendError(403, 'forbidden', 'user "viewer" may not list nodes')) });

    renderTab();

    expect(await screen.findByText('Could not detect the platform')).toBeInTheDocument();
    expect(currentStep()).toBe('Platform');
  });
});

describe('Network setup tab: commands shown whole', () => {
  it('shows each command whole, so the --port that tells the two aws commands apart is in view', async () => {
    const user = userEvent.setup();
    serveReports(awsReport([rule('kata-agent', 15150, 'missing'), rule('vxlan', 9000, 'missing')]));
    renderTab();
    await stepHeading('Planned changes');

    expect(command(15150)).toContain('--port 15150');
    expect(command(9000)).toContain('--port 9000');
    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 1' }))).toBe(command(15150));
    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 2' }))).toBe(command(9000));
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy command 2' }));
    expect(await navigator.clipboard.readText()).toBe(command(9000));
  });

  it('shows the discovery look-ups with the values found, to copy as one', async () => {
    const user = userEvent.setup();
    const discoveryCommands = [
      'oc get nodes -o custom-columns=NAME:.metadata.name,PROVIDER_ID:.spec.providerID',
      "oc get infrastructure cluster -o jsonpath='{.status.platformStatus.aws.region}'",
      "aws ec2 describe-instances --region us-east-2 --instance-ids i-0worker --query 'Reservations[].Instances[].SecurityGroups[].GroupId' --output text",
    ];
    serveReports({ ...MISSING, discoveryCommands });
    renderTab();
    await stepHeading('Planned changes');

    await openStep(user, 'Discovery');

    const block = screen.getByRole('group', { name: 'Discovery commands' });
    expect(wholeCodeIn(block)).toBe(discoveryCommands.join('\n\n'));
    await user.click(screen.getByRole('button', { name: 'Copy the discovery commands' }));
    expect(await navigator.clipboard.readText()).toBe(discoveryCommands.join('\n\n'));
  });

  it('shows no look-ups when the backend sends none', async () => {
    const user = userEvent.setup();
    serveReports(MISSING);
    renderTab();
    await stepHeading('Planned changes');

    await openStep(user, 'Discovery');

    expect(screen.queryByRole('group', { name: 'Discovery commands' })).not.toBeInTheDocument();
  });
});
