import type { FC } from 'react';
import { Alert, List, ListItem, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

type OtherWritersAlertProps = {
  /** Field managers besides this console that write the nodes' VM capacity. */
  writers: readonly string[];
  /** Nodes they write. */
  nodes: number;
  /** Times they changed a node away from its limit since the backend started. */
  flaps: number;
  extendedResource: string;
};

/**
 * Another field manager writes the nodes' VM capacity too (the sandboxed containers operator's
 * controller writes the PeerPodConfig limit to every node it selects): who, where, how often it
 * overwrote a node's limit, and how to set the limits so that it cannot overfill a node.
 */
const OtherWritersAlert: FC<OtherWritersAlertProps> = ({ writers, nodes, flaps, extendedResource }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Alert variant="warning" isInline title={t('Another controller also writes the VM capacity of nodes')}>
      <Stack hasGutter>
        <StackItem>
          {t(
            '{{writers}} also writes {{resource}}, on {{number}} nodes, and changed a node away from its limit {{flaps}} times since the backend started. This console sets the value back as soon as it sees the change; until then the scheduler may place peer pods by the other value.',
            { writers: writers.join(', '), resource: extendedResource, number: nodes, flaps },
          )}
        </StackItem>
        <StackItem>
          {t('What to do:')}
          <List>
            <ListItem>
              {t(
                "Keep the PeerPodConfig limit at the lowest limit any node should have, and use node overrides only to raise a node's limit. The other writer can then only lower a node's capacity for a moment, never let the scheduler overfill it.",
              )}
            </ListItem>
            <ListItem>
              {t('Give the PeerPodConfig an explicit nodeSelector, so that the other writer selects the same nodes.')}
            </ListItem>
          </List>
        </StackItem>
      </Stack>
    </Alert>
  );
};

export default OtherWritersAlert;
