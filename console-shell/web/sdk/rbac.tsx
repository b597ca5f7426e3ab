// checkAccess and useAccessReview as in the console: a
// SelfSubjectAccessReview created as the signed-in user, memoised for the page's lifetime (the
// console asks again only after a reload, which is also what switching user in the shell does),
// and "allowed" when the review itself fails, because the server enforces access anyway.
import { useEffect, useState } from 'react';
import type {
  AccessReviewResourceAttributes,
  K8sModel,
  SelfSubjectAccessReviewKind,
} from '@openshift-console/dynamic-plugin-sdk';
import { k8sCreate } from './k8sResource';

const SelfSubjectAccessReviewModel: K8sModel = {
  apiGroup: 'authorization.k8s.io',
  apiVersion: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  abbr: 'SSAR',
  label: 'SelfSubjectAccessReview',
  labelPlural: 'SelfSubjectAccessReviews',
  namespaced: false,
};

const reviews = new Map<string, Promise<SelfSubjectAccessReviewKind>>();

const review = (
  group: string,
  resource: string,
  subresource: string,
  verb: string,
  name: string,
  namespace: string,
): Promise<SelfSubjectAccessReviewKind> => {
  const key = [group, resource, subresource, verb, name, namespace].join('~');
  let pending = reviews.get(key);
  if (!pending) {
    // Projects are cluster-scoped, but access to one is reviewed in its own namespace.
    const reviewNamespace = group === 'project.openshift.io' && resource === 'projects' ? name : namespace;
    pending = k8sCreate<SelfSubjectAccessReviewKind>({
      model: SelfSubjectAccessReviewModel,
      data: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: { group, resource, subresource, verb: verb as never, name, namespace: reviewNamespace },
        },
      } as SelfSubjectAccessReviewKind,
    });
    reviews.set(key, pending);
  }
  return pending;
};

export const checkAccess = (
  resourceAttributes: AccessReviewResourceAttributes,
  _impersonate?: unknown,
): Promise<SelfSubjectAccessReviewKind> => {
  const {
    group = '',
    resource = '',
    subresource = '',
    verb = '',
    name = '',
    namespace = '',
  } = resourceAttributes ?? {};
  return review(group, resource, subresource, verb, name, namespace);
};

/** `[isAllowed, loading]`. */
export const useAccessReview = (
  resourceAttributes: AccessReviewResourceAttributes,
  _impersonate?: unknown,
  noCheckForEmptyGroupAndResource?: boolean,
): [boolean, boolean] => {
  const [loading, setLoading] = useState(true);
  const [isAllowed, setAllowed] = useState(false);
  const { group = '', resource = '', subresource = '', verb = '', name = '', namespace = '' } = resourceAttributes;
  const skipCheck = Boolean(noCheckForEmptyGroupAndResource) && !group && !resource;
  useEffect(() => {
    if (skipCheck) {
      setAllowed(false);
      setLoading(false);
      return;
    }
    let active = true;
    review(group, resource, subresource, verb, name, namespace)
      .then((result) => {
        if (!active) return;
        setAllowed(Boolean(result.status?.allowed));
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (!active) return;
        console.warn('SelfSubjectAccessReview failed', e);
        setAllowed(true);
        setLoading(false);
      });
    return () => {
      active = false;
    };
  }, [group, resource, subresource, verb, name, namespace, skipCheck]);
  return [isAllowed, loading];
};
