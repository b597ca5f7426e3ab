import type { FC } from 'react';
import { Alert, Content, Progress, ProgressMeasureLocation, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../../api/backend';
import { convergenceOf } from './limitValidation';

/** Names of the nodes still waiting; a long list is cut, with the rest counted. */
const WAITING_NAMES_SHOWN = 10;

type ConvergenceProgressProps = {
  /** The live capacity rows; undefined when the backend cannot be read. */
  nodes: NodeCapacity[] | undefined;
  config: { namespace: string; name: string };
  limit: number;
};

/** After a limit change: how many of the config's nodes advertise the new limit yet, live. */
const ConvergenceProgress: FC<ConvergenceProgressProps> = ({ nodes, config, limit }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (!nodes) {
    return (
      <Alert variant="warning" isInline title={t('Progress is not available')}>
        {t('The limit is saved, but the backend cannot be read, so the nodes cannot be followed here.')}
      </Alert>
    );
  }
  const { total, converged, waiting, overridden, caaOwned } = convergenceOf(nodes, config, limit);
  const waitingNames = waiting.slice(0, WAITING_NAMES_SHOWN).map((node) => node.name);
  return (
    <Stack hasGutter>
      {total === 0 ? (
        <StackItem>
          <Alert variant="info" isInline title={t('No node takes its limit from this PeerPodConfig')}>
            {t('The limit is saved; it applies to the nodes its nodeSelector matches once they have no override.')}
          </Alert>
        </StackItem>
      ) : (
        <>
          <StackItem>
            <Progress
              value={Math.round((converged / total) * 100)}
              title={t('Nodes advertising the new limit')}
              measureLocation={ProgressMeasureLocation.top}
              label={t('{{converged}} of {{total}} nodes', { converged, total })}
              valueText={t('{{converged}} of {{total}} nodes', { converged, total })}
              variant={converged === total ? 'success' : undefined}
            />
          </StackItem>
          <StackItem>
            {converged === total ? (
              <Alert
                variant="success"
                isInline
                title={t('Every node advertises the new limit of {{limit}}', { limit })}
              />
            ) : (
              <Content component="p">
                {t('Waiting for: {{nodes}}', { nodes: waitingNames.join(', ') })}
                {waiting.length > WAITING_NAMES_SHOWN &&
                  ` ${t('and {{number}} more', { number: waiting.length - WAITING_NAMES_SHOWN })}`}
              </Content>
            )}
          </StackItem>
        </>
      )}
      {overridden > 0 && (
        <StackItem>
          <Content component="p">
            {t('Nodes with an override, which keep their own limit: {{number}}', { number: overridden })}
          </Content>
        </StackItem>
      )}
      {caaOwned > 0 && (
        <StackItem>
          <Content component="p">
            {t(
              'Nodes advertised by cloud-api-adaptor, which follows its own PEERPODS_LIMIT_PER_NODE setting: {{number}}',
              { number: caaOwned },
            )}
          </Content>
        </StackItem>
      )}
    </Stack>
  );
};

export default ConvergenceProgress;
