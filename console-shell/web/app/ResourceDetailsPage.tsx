// The console's generic resource page, reduced to the object as the API server returns it, so
// that ResourceLinks from a plugin (e.g. to its PeerPodConfig) land on the object, not on 404.
// Addresses: /k8s/cluster/<ref>/<name> and /k8s/ns/<namespace>/<ref>/<name>, where <ref> is a
// core plural ("nodes") or "group~version~Kind".
import { useEffect, useState, type FC } from 'react';
import { Alert, CodeBlock, CodeBlockCode, PageSection, Title } from '@patternfly/react-core';
import type { K8sGroupVersionKind, K8sModel, K8sResourceCommon } from '@openshift-console/dynamic-plugin-sdk';
import { useParams } from 'react-router';
import { DocumentTitle, ResourceIcon } from '../sdk/components';
import { getCoreModelByPlural, modelKeyOf } from '../sdk/k8sModels';
import { useK8sWatchResource } from '../sdk/useK8sWatchResource';
import { Loading } from './Loading';

const useGroupVersionKind = (ref: string): K8sGroupVersionKind | null | undefined => {
  const [fromPlural, setFromPlural] = useState<K8sModel | null>();
  const isReference = ref.includes('~');
  useEffect(() => {
    if (isReference) return;
    let active = true;
    getCoreModelByPlural(ref).then(
      (model) => active && setFromPlural(model ?? null),
      () => active && setFromPlural(null),
    );
    return () => {
      active = false;
    };
  }, [ref, isReference]);
  if (isReference) {
    const key = modelKeyOf(ref)!;
    return { group: key.group === 'core' ? undefined : key.group, version: key.version ?? '', kind: key.kind };
  }
  if (fromPlural === undefined) return undefined;
  return fromPlural && { version: fromPlural.apiVersion, kind: fromPlural.kind };
};

const ResourceObject: FC<{ gvk: K8sGroupVersionKind; name: string; namespace?: string }> = ({
  gvk,
  name,
  namespace,
}) => {
  const [obj, loaded, loadError] = useK8sWatchResource<K8sResourceCommon>({ groupVersionKind: gvk, name, namespace });
  if (loadError) {
    return (
      <Alert variant="danger" isInline title={`Could not load ${gvk.kind} ${name}`}>
        {(loadError as Error).message}
      </Alert>
    );
  }
  if (!loaded) return <Loading label={`Loading ${gvk.kind} ${name}`} />;
  return (
    <CodeBlock>
      <CodeBlockCode>{JSON.stringify(obj, null, 2)}</CodeBlockCode>
    </CodeBlock>
  );
};

export const ResourceDetailsPage: FC = () => {
  const { ns, ref = '', name = '' } = useParams();
  const gvk = useGroupVersionKind(ref);
  return (
    <>
      <DocumentTitle>{`${name} · ${gvk?.kind ?? ref}`}</DocumentTitle>
      <PageSection hasBodyWrapper={false}>
        <Title headingLevel="h1" data-test="page-heading">
          {gvk && <ResourceIcon groupVersionKind={gvk} />} {name}
        </Title>
      </PageSection>
      <PageSection hasBodyWrapper={false}>
        {name === '~new' ? (
          <Alert variant="info" isInline title="The console shell has no create pages">
            Create the object with kubectl or oc apply -f instead.
          </Alert>
        ) : gvk === undefined ? (
          <Loading label="Looking up the kind" />
        ) : gvk === null ? (
          <Alert variant="warning" isInline title={`The API server has no kind "${ref}"`} />
        ) : (
          <ResourceObject gvk={gvk} name={name} namespace={ns} />
        )}
      </PageSection>
    </>
  );
};
