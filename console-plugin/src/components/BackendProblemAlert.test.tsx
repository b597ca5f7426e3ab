import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { httpError } from '../test/sdk-mock';
import BackendProblemAlert from './BackendProblemAlert';
import { backendProblemOf } from './backendProblem';

const FORBIDDEN_EXPLANATION =
  'Reading the stuck peer pods needs the permission to list nodes in the whole cluster. Ask a cluster administrator for it.';

/** A failed backend call with the backend's error body. */
const backendError = (status: number, code: string, message: string) =>
  Object.assign(httpError(status, message), { json: { error: { code, message }, message } });

const renderAlert = (error: unknown, onRetry = vi.fn()) => {
  render(
    <MemoryRouter>
      <BackendProblemAlert
        title="Could not read the stuck peer pods"
        problem={backendProblemOf(error)}
        forbiddenExplanation={FORBIDDEN_EXPLANATION}
        setupPath="/peer-pods/setup"
        onRetry={onRetry}
      />
    </MemoryRouter>,
  );
  return {
    onRetry,
    alert: screen.getByRole('heading', { name: /Could not read the stuck peer pods/ }).closest('.pf-v6-c-alert')!,
  };
};

describe('BackendProblemAlert', () => {
  it('tells a user without access, calmly and once, which permission to ask a cluster administrator for', () => {
    const { alert } = renderAlert(
      backendError(
        403,
        'forbidden',
        'user "dev" may not list nodes (cluster-wide); ask a cluster administrator for that permission',
      ),
    );

    expect(alert).toHaveClass('pf-m-info');
    expect(alert).not.toHaveClass('pf-m-danger');
    expect(screen.getByText(FORBIDDEN_EXPLANATION)).toBeInTheDocument();
    expect(screen.queryByText(/may not list nodes \(cluster-wide\)/)).not.toBeInTheDocument();
    expect(screen.queryByText(/^Error:/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('offers a reload, not a retry, when the backend did not accept the session', () => {
    const { alert } = renderAlert(backendError(401, 'unauthenticated', 'the token was not accepted by the API server'));

    expect(alert).toHaveClass('pf-m-warning');
    expect(screen.getByText(/The backend did not accept your session/)).toBeInTheDocument();
    expect(screen.queryByText(/the token was not accepted/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it.each([['not_configured'], ['invalid_config'], ['auth'], ['no_worker'], ['permission']])(
    'sends a %s problem to its fix without a retry that would fail the same way',
    (code) => {
      renderAlert({ code, message: 'AWS_REGION is missing from peer-pods-cm' });

      expect(screen.getByText('Error: AWS_REGION is missing from peer-pods-cm')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    },
  );

  it.each([['throttled'], ['unavailable'], ['rate_limited']])(
    'offers to try again when a %s problem may clear by itself',
    async (code) => {
      const { onRetry } = renderAlert({ code, message: 'EC2 did not answer.' });

      await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));

      expect(onRetry).toHaveBeenCalledTimes(1);
    },
  );

  it('keeps the message of an unknown failure, once, as an error, with a retry', () => {
    const { alert } = renderAlert(new TypeError('Failed to fetch'));

    expect(alert).toHaveClass('pf-m-danger');
    expect(screen.getAllByText(/Failed to fetch/)).toHaveLength(1);
    expect(screen.getByText('Error: Failed to fetch')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('keeps the backend’s words when the backend’s own identity was refused', () => {
    renderAlert({
      code: 'forbidden',
      message: 'secrets "peer-pods-secret" is forbidden: User "system:serviceaccount:x"',
    });

    expect(screen.getByText(FORBIDDEN_EXPLANATION)).toBeInTheDocument();
    expect(screen.getByText(/Error: secrets "peer-pods-secret" is forbidden/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
  });
});
