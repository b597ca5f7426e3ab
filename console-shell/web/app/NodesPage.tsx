// Compute → Nodes, reduced to what links into the node pages: name, readiness, age.
import type { FC } from 'react';
import { Alert, PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { DocumentTitle, ListPageHeader, ResourceLink, Timestamp } from '../sdk/components';
import { useK8sWatchResource } from '../sdk/useK8sWatchResource';
import { Loading } from './Loading';

export type NodeKind = K8sResourceCommon & {
  spec?: { providerID?: string };
  status?: { conditions?: { type: string; status: string }[] };
};

export const NODE_GVK = { version: 'v1', kind: 'Node' };

export const nodeReadiness = (node: NodeKind): string => {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? 'Ready' : ready ? 'Not Ready' : 'Unknown';
};

export const NodesPage: FC = () => {
  const [nodes, loaded, loadError] = useK8sWatchResource<NodeKind[]>({ groupVersionKind: NODE_GVK, isList: true });
  return (
    <>
      <DocumentTitle>Nodes</DocumentTitle>
      <ListPageHeader title="Nodes" />
      <PageSection hasBodyWrapper={false}>
        {loadError ? (
          <Alert variant="danger" isInline title="Could not load the nodes">
            {(loadError as Error).message}
          </Alert>
        ) : !loaded ? (
          <Loading label="Loading nodes" />
        ) : (
          <Table aria-label="Nodes" variant="compact">
            <Thead>
              <Tr>
                <Th>Name</Th>
                <Th>Status</Th>
                <Th>Created</Th>
              </Tr>
            </Thead>
            <Tbody>
              {nodes.map((node) => (
                <Tr key={node.metadata?.uid ?? node.metadata?.name}>
                  <Td dataLabel="Name">
                    <ResourceLink groupVersionKind={NODE_GVK} name={node.metadata?.name} />
                  </Td>
                  <Td dataLabel="Status">{nodeReadiness(node)}</Td>
                  <Td dataLabel="Created">
                    <Timestamp timestamp={node.metadata?.creationTimestamp ?? ''} />
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </PageSection>
    </>
  );
};
