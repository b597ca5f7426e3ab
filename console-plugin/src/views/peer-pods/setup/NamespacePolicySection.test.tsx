import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { buildNamespacePolicy, buildNamespacePolicyBinding } from '@peer-pods-console/contract/namespace-policy';

import type { SetupReport } from '../../../api/backend';
import type { NamespaceKind } from '../../../models/Namespace';
import { NamespaceModel } from '../../../models/Namespace';
import {
  ValidatingAdmissionPolicyBindingModel,
  ValidatingAdmissionPolicyModel,
} from '../../../models/ValidatingAdmissionPolicy';
import { fakeCluster, httpError, k8sCreate, k8sDelete, k8sPatch, useK8sWatchResource } from '../../../test/sdk-mock';
import NamespacePolicySection from './NamespacePolicySection';
import { setupReport } from './setupTestData';

const ALLOWED = 'peerpods.openshift.io/allowed';

const namespace = (name: string, allowed = false): NamespaceKind => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...(allowed ? { [ALLOWED]: 'true' } : {}) } },
});

const report = setupReport([], {
  peerPodNamespaces: [
    { namespace: 'legacy', pods: 2 },
    { namespace: 'shop', pods: 1 },
  ],
});

const renderSection = (answer: SetupReport | undefined = report, onChanged = vi.fn()) => {
  render(<NamespacePolicySection report={answer} onChanged={onChanged} />);
  return onChanged;
};

const notInstalled = () => {
  fakeCluster.setObjects(ValidatingAdmissionPolicyModel, []);
  fakeCluster.setObjects(ValidatingAdmissionPolicyBindingModel, []);
};

const installed = () => {
  fakeCluster.setObjects(ValidatingAdmissionPolicyModel, [buildNamespacePolicy()]);
  fakeCluster.setObjects(ValidatingAdmissionPolicyBindingModel, [buildNamespacePolicyBinding()]);
};

beforeEach(() => {
  fakeCluster.setObjects(NamespaceModel, [namespace('legacy'), namespace('shop', true), namespace('team-a')]);
});

describe('Namespace policy section', () => {
  describe('installing', () => {
    it('says the policy is not installed and warns, before installing, about peer pods that would not be allowed', async () => {
      notInstalled();
      renderSection();

      expect(screen.getByText('Not installed')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Install the policy' }));

      const dialog = screen.getByRole('dialog', { name: 'Install the namespace policy?' });
      expect(within(dialog).getByText('Peer pods run in namespaces that would not be allowed')).toBeInTheDocument();
      const list = within(dialog).getByRole('list', { name: 'Namespaces with peer pods that would not be allowed' });
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual(['legacy: 2 peer pods']);
      expect(
        within(dialog).getByText(
          'They keep running, but new peer pods there are refused until the namespace is labelled peerpods.openshift.io/allowed=true.',
        ),
      ).toBeInTheDocument();
      expect(k8sCreate).not.toHaveBeenCalled();
    });

    it('creates the policy for the backend’s runtime class, then the binding, as the signed-in user', async () => {
      notInstalled();
      k8sCreate.mockResolvedValue({});
      const onChanged = renderSection(setupReport([], { targetRuntimeClass: 'kata-peer' }));

      await userEvent.click(screen.getByRole('button', { name: 'Install the policy' }));
      await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Install' }));

      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
      expect(k8sCreate.mock.calls.map(([options]) => [options.model, options.data])).toEqual([
        [ValidatingAdmissionPolicyModel, buildNamespacePolicy('kata-peer')],
        [ValidatingAdmissionPolicyBindingModel, buildNamespacePolicyBinding()],
      ]);
      expect(onChanged).toHaveBeenCalled();
    });

    it('shows clearly that the API server refused a user without permission (403)', async () => {
      notInstalled();
      k8sCreate.mockRejectedValue(
        httpError(
          403,
          'validatingadmissionpolicies.admissionregistration.k8s.io is forbidden: User "test-developer" cannot create resource "validatingadmissionpolicies"',
        ),
      );
      renderSection();

      await userEvent.click(screen.getByRole('button', { name: 'Install the policy' }));
      await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Install' }));

      const dialog = screen.getByRole('dialog');
      expect(
        await within(dialog).findByText('Could not install the namespace policy: permission denied (403)'),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByText(
          'Your user may not create ValidatingAdmissionPolicies and their bindings. Ask a cluster administrator to install the policy.',
        ),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByText(/^The API server said: validatingadmissionpolicies.* is forbidden/),
      ).toBeInTheDocument();
      expect(k8sCreate).toHaveBeenCalledTimes(1);
    });

    it('warns when no namespace is allowed yet', async () => {
      notInstalled();
      fakeCluster.setObjects(NamespaceModel, [namespace('legacy')]);
      renderSection();

      await userEvent.click(screen.getByRole('button', { name: 'Install the policy' }));

      expect(
        screen.getByText('No namespace is allowed yet: every new peer pod is refused until you allow one.'),
      ).toBeInTheDocument();
    });

    it('completes a half-installed policy by creating only what is missing', async () => {
      fakeCluster.setObjects(ValidatingAdmissionPolicyModel, [buildNamespacePolicy()]);
      fakeCluster.setObjects(ValidatingAdmissionPolicyBindingModel, []);
      k8sCreate.mockResolvedValue({});
      renderSection();

      expect(screen.getByText('Partly installed: not enforced')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Complete the installation' }));
      await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Install' }));

      await waitFor(() => expect(k8sCreate).toHaveBeenCalledTimes(1));
      expect(k8sCreate.mock.calls[0]![0].model).toBe(ValidatingAdmissionPolicyBindingModel);
    });
  });

  describe('when installed', () => {
    it('removes the binding, then the policy, after saying what that changes', async () => {
      installed();
      k8sDelete.mockResolvedValue({});
      renderSection();

      expect(screen.getByText('Installed')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Remove the policy' }));
      const dialog = screen.getByRole('dialog', { name: 'Remove the namespace policy?' });
      expect(within(dialog).getByText(/Peer pods are admitted in every namespace again/)).toBeInTheDocument();
      await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));

      await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
      expect(k8sDelete.mock.calls.map(([options]) => [options.model, options.resource.metadata.name])).toEqual([
        [ValidatingAdmissionPolicyBindingModel, 'peer-pods-allowed-namespaces'],
        [ValidatingAdmissionPolicyModel, 'peer-pods-allowed-namespaces'],
      ]);
    });

    it('lists the namespaces whose running peer pods are outside the allowed ones', () => {
      installed();
      renderSection();

      const list = screen.getByRole('list', { name: 'Namespaces with peer pods that are not allowed' });
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((item) => item.textContent),
      ).toEqual(['legacy: 2 peer pods']);
    });

    it('shows clearly that removing was refused (403)', async () => {
      installed();
      k8sDelete.mockRejectedValue(httpError(403, 'forbidden'));
      renderSection();

      await userEvent.click(screen.getByRole('button', { name: 'Remove the policy' }));
      await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove' }));

      expect(
        await screen.findByText('Could not remove the namespace policy: permission denied (403)'),
      ).toBeInTheDocument();
    });
  });

  it('says calmly, once, when the user may not read the policy, and whom to ask', () => {
    fakeCluster.setError(ValidatingAdmissionPolicyModel, httpError(403, 'forbidden'));
    fakeCluster.setObjects(ValidatingAdmissionPolicyBindingModel, []);
    renderSection();

    const title = screen.getByRole('heading', { name: /Could not read the namespace policy/ });
    expect(title.closest('.pf-v6-c-alert')).toHaveClass('pf-m-info');
    expect(
      screen.getByText(
        'Your user may not read ValidatingAdmissionPolicies, so whether the policy is installed is not known. Ask a cluster administrator for access.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('forbidden')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Install the policy' })).not.toBeInTheDocument();
  });

  it('treats the console’s empty loadError as no error', () => {
    installed();
    const watch = useK8sWatchResource.getMockImplementation()!;
    useK8sWatchResource.mockImplementation((resource) => {
      const [data, loaded, error] = watch(resource);
      return [data, loaded, resource?.groupVersionKind?.kind === 'Namespace' ? '' : error];
    });
    try {
      renderSection();
      expect(screen.queryByText('Could not list the namespaces')).not.toBeInTheDocument();
      expect(screen.getByRole('grid', { name: 'Allowed namespaces' })).toBeInTheDocument();
    } finally {
      useK8sWatchResource.mockImplementation(watch);
    }
  });

  describe('allowed namespaces', () => {
    it('lists the labelled namespaces with their running peer pods', () => {
      installed();
      renderSection();

      const table = screen.getByRole('grid', { name: 'Allowed namespaces' });
      const rows = within(table).getAllByRole('row').slice(1);
      expect(
        rows.map((row) =>
          within(row)
            .getAllByRole('cell')
            .slice(0, 2)
            .map((cell) => cell.textContent),
        ),
      ).toEqual([['shop', '1']]);
    });

    it('labels a chosen namespace', async () => {
      installed();
      k8sPatch.mockResolvedValue({});
      const onChanged = renderSection();

      await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Namespace to allow' }), 'team-a');
      await userEvent.click(screen.getByRole('button', { name: 'Allow peer pods' }));

      await waitFor(() => expect(onChanged).toHaveBeenCalled());
      expect(k8sPatch).toHaveBeenCalledWith({
        model: NamespaceModel,
        resource: namespace('team-a'),
        data: [{ op: 'add', path: '/metadata/labels/peerpods.openshift.io~1allowed', value: 'true' }],
      });
    });

    it('removes the label from a namespace', async () => {
      installed();
      k8sPatch.mockResolvedValue({});
      renderSection();

      await userEvent.click(screen.getByRole('button', { name: 'Remove the label from shop' }));

      await waitFor(() => expect(k8sPatch).toHaveBeenCalledTimes(1));
      expect(k8sPatch.mock.calls[0]![0].data).toEqual([
        { op: 'remove', path: '/metadata/labels/peerpods.openshift.io~1allowed' },
      ]);
    });

    it('shows clearly that labelling was refused (403)', async () => {
      installed();
      k8sPatch.mockRejectedValue(httpError(403, 'namespaces "team-a" is forbidden'));
      renderSection();

      await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Namespace to allow' }), 'team-a');
      await userEvent.click(screen.getByRole('button', { name: 'Allow peer pods' }));

      expect(
        await screen.findByText('Could not change the namespace label: permission denied (403)'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Your user may not patch namespaces. Ask a cluster administrator to label the namespace.'),
      ).toBeInTheDocument();
    });
  });
});
