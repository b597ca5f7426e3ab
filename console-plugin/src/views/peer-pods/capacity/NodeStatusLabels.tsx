import type { FC, ReactElement, ReactNode } from 'react';
import { Label, LabelGroup, List, ListItem, Popover, Tooltip } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { NodeCapacity } from '../../../api/backend';
import { orphanVmsOf, otherWritersOf, pendingPinnedOf } from './nodeCapacityRows';
import { usePinnedPendingText } from './usePinnedPendingText';

/** A label with an explanation on hover and focus. */
const Explained: FC<{ explanation: ReactNode; children: ReactElement }> = ({ explanation, children }) => (
  <Tooltip content={explanation}>{children}</Tooltip>
);

/** Drift, override, CAA ownership, another writer, pending and pinned pending pods, orphan VMs and configuration problems of one node. */
const NodeStatusLabels: FC<{ node: NodeCapacity }> = ({ node }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const labels: ReactElement[] = [];
  const orphans = orphanVmsOf(node).length;
  const otherWriters = otherWritersOf(node);
  const pinned = pendingPinnedOf(node);
  const pinnedPendingText = usePinnedPendingText();

  if (node.drift === 'not-advertised') {
    labels.push(
      <Explained
        key="drift"
        explanation={t('A limit of {{desired}} applies, but the node does not advertise any peer pod VMs yet.', {
          desired: node.desired,
        })}
      >
        <Label status="warning" isCompact tabIndex={0}>
          {t('Not advertised')}
        </Label>
      </Explained>,
    );
  } else if (node.drift === 'differs') {
    labels.push(
      <Explained
        key="drift"
        explanation={t('The node advertises {{advertised}} VMs, but its limit is {{desired}}.', {
          advertised: node.advertised ?? '—',
          desired: node.desired ?? '—',
        })}
      >
        <Label status="warning" isCompact tabIndex={0}>
          {t('Differs from limit')}
        </Label>
      </Explained>,
    );
  } else if (node.drift === 'unexpected') {
    labels.push(
      <Explained
        key="drift"
        explanation={t('No PeerPodConfig selects this node and it has no override, yet it advertises peer pod VMs.')}
      >
        <Label status="warning" isCompact tabIndex={0}>
          {t('Advertised without a limit')}
        </Label>
      </Explained>,
    );
  }
  if (node.overcommitted) {
    labels.push(
      <Explained
        key="overcommitted"
        explanation={t(
          'More peer pods run here than the node allows now (the limit was lowered). They keep running; new ones go elsewhere.',
        )}
      >
        <Label status="danger" isCompact tabIndex={0}>
          {t('Overcommitted')}
        </Label>
      </Explained>,
    );
  }
  if (node.pendingHere > 0) {
    labels.push(
      <Explained key="pending" explanation={t('Peer pods placed on this node whose VM is still being created.')}>
        <Label status="info" isCompact tabIndex={0}>
          {t('Pending here: {{number}}', { number: node.pendingHere })}
        </Label>
      </Explained>,
    );
  }
  if (pinned > 0) {
    labels.push(
      <Popover
        // Keyed by node: the table reuses its rows for other nodes, and an open popover must not stay open over another.
        key={`pinned-${node.name}`}
        headerContent={t('Pinned to {{node}}', { node: node.name })}
        bodyContent={pinnedPendingText(node)}
      >
        {/* A clickable label is a button: the popover opens on click, Enter and Space alike. */}
        <Label status="warning" isCompact onClick={() => undefined}>
          {t('{{count}} pinned pending', { count: pinned })}
        </Label>
      </Popover>,
    );
  }
  if (orphans > 0) {
    labels.push(
      <Explained key="orphans" explanation={t('VMs of this node that no pod owns any more.')}>
        <Label status="danger" isCompact tabIndex={0}>
          {t('Orphan VMs: {{number}}', { number: orphans })}
        </Label>
      </Explained>,
    );
  }
  if (node.override !== null) {
    labels.push(
      <Explained
        key="override"
        explanation={t('The node annotation sets its own limit of {{override}}, whatever the PeerPodConfig says.', {
          override: node.override,
        })}
      >
        <Label color="blue" isCompact tabIndex={0}>
          {t('Override')}
        </Label>
      </Explained>,
    );
  }
  if (node.caaOwner !== null) {
    labels.push(
      <Explained
        key="caa"
        explanation={t(
          "cloud-api-adaptor advertises this node's capacity from its own setting; this console does not write to the node.",
        )}
      >
        <Label color="purple" isCompact tabIndex={0}>
          {t('Managed by CAA')}
        </Label>
      </Explained>,
    );
  }
  if (otherWriters.length > 0) {
    labels.push(
      <Explained
        key="other-writer"
        explanation={t(
          '{{writers}} also writes the VM capacity of this node. It changed the value away from the limit {{flaps}} times since the backend started; this console set it back each time.',
          { writers: otherWriters.join(', '), flaps: node.flaps },
        )}
      >
        <Label status="warning" isCompact tabIndex={0}>
          {t('Another writer')}
        </Label>
      </Explained>,
    );
  }
  if (node.problems.length > 0) {
    labels.push(
      <Explained
        key="problems"
        explanation={
          <List isPlain>
            {node.problems.map((problem) => (
              <ListItem key={problem}>{problem}</ListItem>
            ))}
          </List>
        }
      >
        <Label status="warning" isCompact tabIndex={0}>
          {t('Configuration problem')}
        </Label>
      </Explained>,
    );
  }
  const inLine =
    node.drift === null &&
    !node.overcommitted &&
    orphans === 0 &&
    node.problems.length === 0 &&
    otherWriters.length === 0;
  if (inLine && node.desiredState === 'advertise') {
    labels.unshift(
      <Label key="ok" status="success" isCompact>
        {t('Advertised')}
      </Label>,
    );
  }
  if (labels.length === 0) return <>—</>;
  return <LabelGroup numLabels={labels.length}>{labels}</LabelGroup>;
};

export default NodeStatusLabels;
