import { type FC, useState } from 'react';
import { Button, Content, Flex, FlexItem, FormSelect, FormSelectOption, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useTranslation } from 'react-i18next';
import {
  ALLOWED_NAMESPACE_LABEL,
  ALLOWED_NAMESPACE_LABEL_VALUE,
  isNamespaceAllowed,
} from '@peer-pods-console/contract/namespace-policy';

import type { NamespaceKind } from '../../../models/Namespace';

type AllowedNamespacesProps = {
  namespaces: NamespaceKind[];
  /** Running peer pods per namespace (from the setup report); empty when unknown. */
  peerPods: ReadonlyMap<string, number>;
  /** The namespace whose label is being changed. */
  busy: string | undefined;
  onAllow: (namespace: NamespaceKind) => void;
  onDisallow: (namespace: NamespaceKind) => void;
};

/** The namespaces labelled peerpods.openshift.io/allowed=true, and a picker to label another one. */
const AllowedNamespaces: FC<AllowedNamespacesProps> = ({ namespaces, peerPods, busy, onAllow, onDisallow }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const [choice, setChoice] = useState('');
  const label = `${ALLOWED_NAMESPACE_LABEL}=${ALLOWED_NAMESPACE_LABEL_VALUE}`;
  const allowed = namespaces.filter((ns) => isNamespaceAllowed(ns.metadata?.labels));
  const others = namespaces.filter((ns) => !isNamespaceAllowed(ns.metadata?.labels));
  const chosen = others.find((ns) => ns.metadata?.name === choice);

  return (
    <>
      <Title headingLevel="h3">{t('Allowed namespaces')}</Title>
      {allowed.length === 0 ? (
        <Content component="p">{t('No namespace is labelled {{label}}.', { label })}</Content>
      ) : (
        <Table aria-label={t('Allowed namespaces')} variant="compact">
          <Thead>
            <Tr>
              <Th>{t('Namespace')}</Th>
              <Th>{t('Running peer pods')}</Th>
              <Th screenReaderText={t('Actions')} />
            </Tr>
          </Thead>
          <Tbody>
            {allowed.map((ns) => {
              const name = ns.metadata?.name ?? '';
              return (
                <Tr key={name}>
                  <Td dataLabel={t('Namespace')}>{name}</Td>
                  <Td dataLabel={t('Running peer pods')}>{peerPods.get(name) ?? 0}</Td>
                  <Td isActionCell>
                    <Button
                      variant="link"
                      isInline
                      onClick={() => onDisallow(ns)}
                      isLoading={busy === name}
                      isDisabled={busy !== undefined}
                      aria-label={t('Remove the label from {{namespace}}', { namespace: name })}
                    >
                      {t('Remove the label')}
                    </Button>
                  </Td>
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
      <Flex alignItems={{ default: 'alignItemsFlexEnd' }} spaceItems={{ default: 'spaceItemsSm' }}>
        <FlexItem>
          <FormSelect
            value={choice}
            onChange={(_event, value) => setChoice(value)}
            aria-label={t('Namespace to allow')}
            isDisabled={others.length === 0}
          >
            <FormSelectOption value="" label={t('Choose a namespace')} isPlaceholder />
            {others.map((ns) => (
              <FormSelectOption
                key={ns.metadata?.name}
                value={ns.metadata?.name ?? ''}
                label={ns.metadata?.name ?? ''}
              />
            ))}
          </FormSelect>
        </FlexItem>
        <FlexItem>
          <Button
            variant="secondary"
            isDisabled={!chosen || busy !== undefined}
            onClick={() => {
              if (chosen) onAllow(chosen);
              setChoice('');
            }}
          >
            {t('Allow peer pods')}
          </Button>
        </FlexItem>
      </Flex>
    </>
  );
};

export default AllowedNamespaces;
