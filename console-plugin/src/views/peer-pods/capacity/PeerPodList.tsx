import type { ReactNode } from 'react';
import { Content, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { PodNames } from '../../../api/backend';
import PodLink from '../../../components/PodLink';
import PodNamesHiddenAlert from '../../../components/PodNamesHiddenAlert';

/** A peer pod as the backend's capacity data names it: namespace and name are null when hidden. */
type ListedPod = { namespace: string | null; name: string | null };

/** A column after Pod and Namespace: its header and what each pod shows in it. */
export type PeerPodColumn<P> = { title: string; cell: (pod: P) => ReactNode };

type PeerPodListProps<P extends ListedPod> = {
  title: string;
  headingLevel: 'h2' | 'h3';
  pods: P[];
  /** hidden: the backend left out each pod's namespace and name (the user may not list pods). */
  podNames: PodNames;
  /** Said instead of the table when no pod is listed. */
  emptyText: string;
  /** Above the table: why these pods are listed and what to do about them. */
  intro: ReactNode;
  tableLabel: string;
  columns: PeerPodColumn<P>[];
};

/** A titled table of peer pods from the capacity data: Pod and Namespace (when the user may see them), then `columns`. */
const PeerPodList = <P extends ListedPod>({
  title,
  headingLevel,
  pods,
  podNames,
  emptyText,
  intro,
  tableLabel,
  columns,
}: PeerPodListProps<P>): ReactNode => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const namesShown = podNames === 'shown';
  return (
    <Stack hasGutter>
      <StackItem>
        <Title headingLevel={headingLevel} size="lg">
          {title}
        </Title>
      </StackItem>
      {pods.length === 0 ? (
        <StackItem>
          <Content component="p">{emptyText}</Content>
        </StackItem>
      ) : (
        <>
          <StackItem>{intro}</StackItem>
          {!namesShown && (
            <StackItem>
              <PodNamesHiddenAlert />
            </StackItem>
          )}
          <StackItem>
            <Table aria-label={tableLabel} variant="compact">
              <Thead>
                <Tr>
                  {namesShown && <Th modifier="wrap">{t('Pod')}</Th>}
                  {namesShown && <Th modifier="wrap">{t('Namespace')}</Th>}
                  {columns.map((column) => (
                    <Th key={column.title} modifier="wrap">
                      {column.title}
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {pods.map((pod, index) => (
                  // Without names the rows have no identity of their own: their place is theirs.
                  <Tr key={namesShown ? `${pod.namespace}/${pod.name}` : index}>
                    {namesShown && (
                      <Td dataLabel={t('Pod')} modifier="nowrap">
                        <PodLink pod={pod} />
                      </Td>
                    )}
                    {namesShown && <Td dataLabel={t('Namespace')}>{pod.namespace}</Td>}
                    {columns.map((column) => (
                      <Td key={column.title} dataLabel={column.title}>
                        {column.cell(pod)}
                      </Td>
                    ))}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </StackItem>
        </>
      )}
    </Stack>
  );
};

export default PeerPodList;
