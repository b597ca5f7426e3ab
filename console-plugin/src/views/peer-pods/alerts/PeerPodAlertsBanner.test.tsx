import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom-v5-compat';

import { alertingRule, rulesResponse } from '../../../test/operationsFixtures';
import { fakePrometheus, httpError, usePrometheusPoll } from '../../../test/sdk-mock';
import PeerPodAlertsBanner from './PeerPodAlertsBanner';

const renderBanner = () =>
  render(
    <MemoryRouter>
      <PeerPodAlertsBanner />
    </MemoryRouter>,
  );

describe('Peer pod alerts banner', () => {
  it('reads the alerting rules through the SDK', () => {
    renderBanner();

    expect(usePrometheusPoll).toHaveBeenCalledWith(expect.objectContaining({ endpoint: 'api/v1/rules' }));
  });

  it('shows each firing peer pod alert with its summary, severity and a link to its details', () => {
    fakePrometheus.answer(
      rulesResponse([
        alertingRule('PeerPodWebhookDown', [{ labels: {}, state: 'firing' }], 'critical'),
        alertingRule('PeerPodNodesFull', [{ labels: { node: 'worker-a' }, state: 'firing' }], 'warning'),
      ]),
    );

    renderBanner();

    const region = screen.getByRole('region', { name: 'Firing peer pod alerts' });
    expect(region).toHaveTextContent('PeerPodWebhookDown summary');
    expect(region).toHaveTextContent('Critical');
    expect(region).toHaveTextContent('PeerPodNodesFull summary');
    expect(region).toHaveTextContent('Warning');
    const link = screen.getByRole('link', { name: 'View the details of the alert PeerPodNodesFull' });
    expect(link.getAttribute('href')).toMatch(
      /^\/monitoring\/alerts\/\d+\?alertname=PeerPodNodesFull&severity=warning&node=worker-a$/,
    );
  });

  it('shows nothing when no peer pod alert fires', () => {
    fakePrometheus.answer(
      rulesResponse([
        alertingRule('PeerPodsStuck', [{ labels: {}, state: 'pending' }]),
        alertingRule('KubeNodeNotReady', [{ labels: {}, state: 'firing' }], 'critical'),
      ]),
    );

    const { container } = renderBanner();

    expect(container).toBeEmptyDOMElement();
  });

  it.each([
    ['monitoring is not installed', httpError(404, 'not found')],
    ['the user may not read alerts', httpError(403, 'Forbidden')],
    ['Prometheus is down', httpError(502, 'Bad Gateway')],
  ])('shows nothing, and no error, when %s', (_case, error) => {
    fakePrometheus.fail(error);

    const { container } = renderBanner();

    expect(container).toBeEmptyDOMElement();
  });
});
