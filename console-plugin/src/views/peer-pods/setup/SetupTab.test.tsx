import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom-v5-compat';

import type { SetupReport } from '../../../api/backend';
import { NamespaceModel } from '../../../models/Namespace';
import {
  ValidatingAdmissionPolicyBindingModel,
  ValidatingAdmissionPolicyModel,
} from '../../../models/ValidatingAdmissionPolicy';
import { consoleFetchJSON, fakeCluster, httpError } from '../../../test/sdk-mock';
import { check, setupReport } from './setupTestData';
import SetupTab from './SetupTab';

const CurrentPath = () => <output aria-label="current path">{useLocation().pathname}</output>;

const renderTab = () =>
  render(
    <MemoryRouter initialEntries={['/peer-pods/setup']}>
      <Routes>
        <Route path="/peer-pods/:tab" element={<SetupTab />} />
      </Routes>
      <CurrentPath />
    </MemoryRouter>,
  );

/** The backend answers GET /setup with these, one per call (the last one repeats). */
const answerSetup = (...answers: (SetupReport | Error)[]) => {
  let call = 0;
  consoleFetchJSON.mockImplementation((url: string) => {
    if (!url.endsWith('/api/v1/setup')) return new Promise(() => undefined);
    const answer = answers[Math.min(call++, answers.length - 1)]!;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  });
};

const setupCalls = () => consoleFetchJSON.mock.calls.filter(([url]) => String(url).endsWith('/api/v1/setup')).length;

const rowOf = async (title: string) => {
  const table = await screen.findByRole('grid', { name: 'Setup checks' });
  return within(table).getByRole('row', { name: new RegExp(title) });
};

const healthyAndBroken = setupReport([
  check('platform', 'pass', 'platformAws', { region: 'us-east-2' }),
  check('ports', 'fail', 'portsMissing', { rules: 'TCP 9000 (VXLAN)' }, { kind: 'action', action: 'open-port-wizard' }),
  check(
    'cloud-secret',
    'fail',
    'cloudSecretMissingKeys',
    { name: 'peer-pods-secret', keys: 'AWS_SECRET_ACCESS_KEY', platform: 'AWS' },
    { kind: 'command', command: 'oc patch secret peer-pods-secret -n ns --type merge -p x' },
  ),
  check(
    'unaccounted-pods',
    'warning',
    'unaccountedFound',
    { resource: 'kata.peerpods.io/vm', number: 1, pods: 'a/b' },
    {
      kind: 'action',
      action: 'open-capacity',
    },
  ),
  check(
    'peer-pod-config',
    'fail',
    'peerPodConfigInvalidLimit',
    { name: 'peerpodconfig-openshift', limit: '"ten"' },
    {
      kind: 'action',
      action: 'edit-limit',
    },
  ),
  check('namespace-policy', 'warning', 'policyNotInstalled', {}, { kind: 'action', action: 'install-policy' }),
  check(
    'runtime-class',
    'fail',
    'runtimeClassMissing',
    { name: 'kata-remote' },
    {
      kind: 'command',
      command: "oc apply -f - <<'EOF'\nkind: RuntimeClass\nEOF",
    },
  ),
]);

beforeEach(() => {
  fakeCluster.setObjects(ValidatingAdmissionPolicyModel, []);
  fakeCluster.setObjects(ValidatingAdmissionPolicyBindingModel, []);
  fakeCluster.setObjects(NamespaceModel, []);
});

describe('Setup tab checklist', () => {
  it('shows a spinner while the backend runs the checks', () => {
    consoleFetchJSON.mockImplementation(() => new Promise(() => undefined));
    renderTab();
    expect(screen.getByRole('progressbar', { name: 'Running the setup checks' })).toBeInTheDocument();
  });

  it('shows one row per check with its status, title and what was found, and totals', async () => {
    answerSetup(healthyAndBroken);
    renderTab();

    const platform = await rowOf('Cluster platform');
    expect(
      within(platform)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Passed', 'Cluster platform', 'AWS, region us-east-2.', '—']);
    expect(within(await rowOf('Unaccounted peer pods')).getByText('Warning')).toBeInTheDocument();
    expect(
      within(await rowOf('Cloud credentials Secret')).getByText(
        'The Secret peer-pods-secret has no value for AWS_SECRET_ACCESS_KEY, which AWS needs.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Passed: 1')).toBeInTheDocument();
    expect(screen.getByText('Warnings: 2')).toBeInTheDocument();
    expect(screen.getByText('Failed: 4')).toBeInTheDocument();
  });

  it.each([
    ['Ports 15150 and VXLAN', 'Open the port wizard', '/peer-pods/network-setup'],
    ['Unaccounted peer pods', 'Show capacity', '/peer-pods/capacity'],
    ['PeerPodConfig and VM limit', 'Edit the limit', '/peer-pods/capacity'],
  ])('turns the fix of %s into a button "%s" that opens %s', async (title, button, path) => {
    answerSetup(healthyAndBroken);
    renderTab();

    await userEvent.click(within(await rowOf(title)).getByRole('button', { name: button }));

    expect(screen.getByLabelText('current path')).toHaveTextContent(path);
  });

  it('moves to the namespace policy section for the policy check', async () => {
    answerSetup(healthyAndBroken);
    renderTab();

    await userEvent.click(
      within(await rowOf('Namespace policy')).getByRole('button', { name: 'Go to the namespace policy' }),
    );

    expect(screen.getByRole('heading', { level: 2, name: 'Namespace policy' })).toHaveFocus();
  });

  it('offers the exact command to copy when the fix is a command', async () => {
    const user = userEvent.setup();
    answerSetup(healthyAndBroken);
    renderTab();

    const row = await rowOf('Cloud credentials Secret');
    await user.click(within(row).getByRole('button', { name: 'Copy the command that fixes Cloud credentials Secret' }));

    expect(await navigator.clipboard.readText()).toBe('oc patch secret peer-pods-secret -n ns --type merge -p x');
  });

  it('shows a command of several lines as a code block that copies whole', async () => {
    const user = userEvent.setup();
    answerSetup(healthyAndBroken);
    renderTab();

    const row = await rowOf('RuntimeClass');
    await user.click(within(row).getByRole('button', { name: 'Copy the command that fixes RuntimeClass' }));

    expect(await navigator.clipboard.readText()).toBe("oc apply -f - <<'EOF'\nkind: RuntimeClass\nEOF");
  });

  it('shows the backend’s English sentence for a finding this plugin does not know', async () => {
    const report = setupReport([
      {
        ...check('platform', 'warning', 'platformAws'),
        found: { key: 'fromTheFuture', values: {}, message: 'Newer words.' },
      },
    ]);
    answerSetup(report);
    renderTab();

    expect(within(await rowOf('Cluster platform')).getByText('Newer words.')).toBeInTheDocument();
  });

  it('asks the backend again on "Check again"', async () => {
    answerSetup(
      setupReport([check('ports', 'fail', 'portsMissing', { rules: 'TCP 9000' })]),
      setupReport([check('ports', 'pass', 'portsOpen', { rules: 'TCP 15150, TCP 9000' })]),
    );
    renderTab();
    expect(within(await rowOf('Ports')).getByText('Failed')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));

    await waitFor(() =>
      expect(within(screen.getByRole('row', { name: /Ports/ })).getByText('Passed')).toBeInTheDocument(),
    );
    expect(setupCalls()).toBe(2);
  });

  it('tells a user without read permission what is missing', async () => {
    answerSetup(httpError(403, 'user "dev" may not list nodes (cluster-wide)'));
    renderTab();

    expect(await screen.findByText('Could not run the setup checks')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Reading the setup checks needs permission to list nodes and to read the cloud credentials Secret. Ask a cluster administrator for them.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/user "dev" may not list nodes/)).not.toBeInTheDocument();
    // Neither asking again nor checking again can change the answer.
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Check again' })).not.toBeInTheDocument();
    expect(screen.queryByRole('grid', { name: 'Setup checks' })).not.toBeInTheDocument();
  });
});
