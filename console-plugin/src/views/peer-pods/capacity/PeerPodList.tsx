import type { ReactNode } from 'react';
import { Content, Pagination, Stack, StackItem, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';

import type { PodNames } from '../../../api/backend';
import PodLink from '../../../components/PodLink';
import PodNamesHiddenAlert from '../../../components/PodNamesHiddenAlert';
import { PER_PAGE_OPTIONS, paginationTitles } from '../../../components/paginationTitles';
import { useTablePage } from '../../../hooks/useTablePage';

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

/** Rows a page shows at first; a list this short shows no pagination at all. */
export const PEER_POD_LIST_PER_PAGE = 10;

/**
 * A titled table of peer pods from the capacity data: Pod and Namespace (when the user may see
 * them), then `columns`, 10 rows a page. Paged because a cluster can hold thousands of such pods
 * (every peer pod stuck at once: 10,000 rows, each with a timestamp and links, kept the page busy
 * rendering for seconds at a time).
 */
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
  const page = useTablePage(pods, PEER_POD_LIST_PER_PAGE);
  const titles = paginationTitles(t, t('Pages: {{list}}', { list: tableLabel }));
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
                {page.pageRows.map((pod, index) => (
                  // Without names the rows have no identity of their own: their place is theirs.
                  <Tr key={namesShown ? `${pod.namespace}/${pod.name}` : (page.page - 1) * page.perPage + index}>
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
          {pods.length > PEER_POD_LIST_PER_PAGE && (
            <StackItem>
              <Pagination
                itemCount={pods.length}
                page={page.page}
                perPage={page.perPage}
                perPageOptions={PER_PAGE_OPTIONS}
                onSetPage={(_event, next) => page.setPage(next)}
                onPerPageSelect={(_event, next) => page.setPerPage(next)}
                variant="bottom"
                titles={titles}
              />
            </StackItem>
          )}
        </>
      )}
    </Stack>
  );
};

export default PeerPodList;
