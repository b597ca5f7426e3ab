import type { FC } from 'react';
import { ResourceLink, Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, ExpandableSection, Label, Stack, StackItem, Tooltip } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import type { StuckPeerPod, StuckPeerPods } from '../../../api/backend';
import { groupVersionKindOf } from '../../../models/groupVersionKind';
import { NodeModel } from '../../../models/Node';
import PeerPodList, { type PeerPodColumn } from '../capacity/PeerPodList';
import StuckFixActions, { type StuckFixHandlers } from './StuckFixActions';
import { useStuckText } from './useStuckText';
import { RESOURCE_LINK_CLASS } from '../../../components/resourceLinkWrap';

type StuckPeerPodsListProps = StuckFixHandlers & {
  stuck: StuckPeerPods;
  /** On a node's own page the node column says nothing new. */
  showNode?: boolean;
  headingLevel?: 'h2' | 'h3';
};

/** The scheduler's or the latest telling Event's message, verbatim, folded to two lines. */
const MessageCell: FC<{ pod: StuckPeerPod }> = ({ pod }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (pod.message === null) return <>—</>;
  return (
    <Stack>
      {pod.eventReason && (
        <StackItem>
          <Content component="small">
            {pod.count > 1
              ? t('{{reason}} ({{number}} times)', { reason: pod.eventReason, number: pod.count })
              : pod.eventReason}
          </Content>
        </StackItem>
      )}
      <StackItem>
        <ExpandableSection
          variant="truncate"
          truncateMaxLines={2}
          toggleTextCollapsed={t('Show more')}
          toggleTextExpanded={t('Show less')}
        >
          {pod.message}
        </ExpandableSection>
      </StackItem>
    </Stack>
  );
};

/**
 * Peer pods that have not been running for longer than the grace period: where they are stuck,
 * why (classified by the backend), since when, the message that says so, and what fixes it.
 */
/** The grace period in the reader's language: whole minutes as minutes, anything else as seconds ("2 minutes", "45 seconds"). */
const formatGrace = (seconds: number, language: string): string => {
  const inMinutes = seconds >= 60 && seconds % 60 === 0;
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: inMinutes ? 'minute' : 'second',
    unitDisplay: 'long',
  }).format(inMinutes ? seconds / 60 : seconds);
};

const StuckPeerPodsList: FC<StuckPeerPodsListProps> = ({
  stuck,
  showNode = true,
  headingLevel = 'h2',
  ...handlers
}) => {
  const { t, i18n } = useTranslation('plugin__peer-pods-console-plugin');
  const text = useStuckText();
  const grace = formatGrace(stuck.graceSeconds, i18n.language);

  const nodeColumn: PeerPodColumn<StuckPeerPod> = {
    title: t('Node'),
    cell: (pod) =>
      pod.nodeName ? (
        <Stack>
          <StackItem>
            <ResourceLink
              className={RESOURCE_LINK_CLASS}
              groupVersionKind={groupVersionKindOf(NodeModel)}
              name={pod.nodeName}
            />
          </StackItem>
          {pod.stage === 'pending' && pod.pinned && (
            <StackItem>
              <Content component="small">{t('Pinned to this node')}</Content>
            </StackItem>
          )}
        </Stack>
      ) : (
        t('Not scheduled')
      ),
  };

  return (
    <PeerPodList
      title={t('Stuck peer pods')}
      headingLevel={headingLevel}
      pods={stuck.pods}
      podNames={stuck.podNames}
      emptyText={t('No peer pod is stuck: every one runs, or started less than {{grace}} ago.', { grace })}
      intro={
        <Stack hasGutter>
          <StackItem>
            <Content component="p">
              {t(
                "These peer pods have not been running for more than {{grace}}: the scheduler has not placed them, or their VM does not start. The message is the scheduler's or the latest Event's, as they wrote it.",
                { grace },
              )}
            </Content>
          </StackItem>
          {stuck.messages === 'hidden' && (
            <StackItem>
              <Alert
                variant="info"
                isInline
                isPlain
                title={t('Messages hidden: reading them needs the permission to list events in all namespaces')}
              />
            </StackItem>
          )}
        </Stack>
      }
      tableLabel={t('Stuck peer pods')}
      columns={[
        ...(showNode ? [nodeColumn] : []),
        { title: t('Stage'), cell: (pod) => text.stage(pod.stage) },
        {
          title: t('Reason'),
          cell: (pod) => (
            <Tooltip content={text.reasonExplanation(pod.reason)}>
              <Label status={pod.reason === 'other' ? 'info' : 'warning'} isCompact tabIndex={0}>
                {text.reason(pod.reason)}
              </Label>
            </Tooltip>
          ),
        },
        { title: t('Stuck since'), cell: (pod) => (pod.since ? <Timestamp timestamp={pod.since} /> : '—') },
        { title: t('Message'), cell: (pod) => <MessageCell pod={pod} /> },
        { title: t('Fix'), cell: (pod) => <StuckFixActions pod={pod} {...handlers} /> },
      ]}
    />
  );
};

export default StuckPeerPodsList;
