// A health item of the Status card on Home → Overview, drawn as the console draws one: a state
// icon, the title (a link-styled button opening a popover when there is a popup component) and
// the message in small subtle text under it. ResourceHealthItem feeds it from a
// console.dashboards/overview/health/resource extension, as the console does: it watches the
// extension's `resources`, calls its `healthHandler(results, t)` and renders its
// `popupComponent` with the watch results.
import type { ComponentType, FC, ReactNode } from 'react';
import { Button, Flex, FlexItem, Icon, Popover, Spinner } from '@patternfly/react-core';
import {
  ArrowCircleUpIcon,
  CheckCircleIcon,
  ExclamationCircleIcon,
  ExclamationTriangleIcon,
  InProgressIcon,
  SyncAltIcon,
  UnknownIcon,
} from '@patternfly/react-icons';
import type {
  DashboardsOverviewHealthResourceSubsystem,
  HealthState,
  ResourcesObject,
  WatchK8sResources,
  WatchK8sResults,
} from '@openshift-console/dynamic-plugin-sdk';
import type { LoadedAndResolvedExtension } from '@openshift/dynamic-plugin-sdk';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useK8sWatchResources } from '../sdk/useK8sWatchResource';
import { translateExtensionLabel } from './extensionLabels';

/** HealthState's values ('OK', 'ERROR', …): the enum is a type here, its values are strings. */
type HealthStateValue = `${HealthState}`;

/** The console's line under the title when the handler gives no message (healthStateMessage). */
const DEFAULT_MESSAGES: Partial<Record<HealthStateValue, string>> = {
  UNKNOWN: 'Unknown',
  PROGRESS: 'Pending',
  UPDATING: 'Updating',
  WARNING: 'Degraded',
  ERROR: 'Degraded',
  UPGRADABLE: 'Upgrade available',
  NOT_AVAILABLE: 'Not available',
};

/** The console's state icons (healthStateMapping), with PatternFly's status colours. */
const StateIcon: FC<{ state: HealthStateValue }> = ({ state }) => {
  switch (state) {
    case 'OK':
      return (
        <Icon status="success">
          <CheckCircleIcon title="Healthy" />
        </Icon>
      );
    case 'ERROR':
      return (
        <Icon status="danger">
          <ExclamationCircleIcon title="Error" />
        </Icon>
      );
    case 'WARNING':
      return (
        <Icon status="warning">
          <ExclamationTriangleIcon title="Warning" />
        </Icon>
      );
    case 'UPDATING':
      return (
        <Icon status="info">
          <SyncAltIcon title="Updating" />
        </Icon>
      );
    case 'UPGRADABLE':
      return (
        <Icon status="info">
          <ArrowCircleUpIcon title="Upgrade available" />
        </Icon>
      );
    case 'PROGRESS':
      return (
        <Icon>
          <InProgressIcon title="In progress" />
        </Icon>
      );
    default:
      // UNKNOWN, NOT_AVAILABLE and anything else: the console's grey unknown icon.
      return (
        <Icon style={{ color: 'var(--pf-t--global--icon--color--subtle)' }}>
          <UnknownIcon title={state === 'NOT_AVAILABLE' ? 'Not available' : 'Unknown'} />
        </Icon>
      );
  }
};

type HealthItemProps = {
  title: string;
  state: HealthStateValue;
  message?: string;
  popupTitle?: string;
  /** The popover's body; without it the title is plain text. */
  children?: ReactNode;
};

export const HealthItem: FC<HealthItemProps> = ({ title, state, message, popupTitle, children }) => {
  const loading = state === 'LOADING';
  // As the console: no popover and no message while loading.
  const detail = loading ? undefined : message || DEFAULT_MESSAGES[state];
  return (
    <Flex data-test="health-item" flexWrap={{ default: 'nowrap' }} spaceItems={{ default: 'spaceItemsSm' }}>
      <FlexItem>
        {loading ? <Spinner size="sm" aria-label={`Loading ${title} status`} /> : <StateIcon state={state} />}
      </FlexItem>
      <FlexItem>
        <div>
          {children && !loading ? (
            <Popover
              headerContent={popupTitle}
              headerComponent="h3"
              aria-label={popupTitle || title}
              bodyContent={children}
              position="right"
            >
              <Button variant="link" isInline>
                {title}
              </Button>
            </Popover>
          ) : (
            title
          )}
        </div>
        {detail && <div className="pf-v6-u-font-size-sm pf-v6-u-text-color-subtle">{detail}</div>}
      </FlexItem>
    </Flex>
  );
};

type ResourceHealthItemProps = {
  extension: LoadedAndResolvedExtension<DashboardsOverviewHealthResourceSubsystem>;
};

/** The extension's healthHandler, resolved; a console tolerates one that returns nothing. */
type ResourceHealthHandler = (
  results: WatchK8sResults<ResourcesObject>,
  t: TFunction,
) => { state: HealthStateValue; message?: string } | undefined;

/** One console.dashboards/overview/health/resource extension, as the console's ResourceHealthItem. */
export const ResourceHealthItem: FC<ResourceHealthItemProps> = ({ extension }) => {
  const { t } = useTranslation();
  const { title, popupTitle } = extension.properties;
  // The SDK types CodeRefs as unresolved (and popupComponent as results): these are the resolved values.
  const resources = extension.properties.resources as unknown as WatchK8sResources<ResourcesObject>;
  const healthHandler = extension.properties.healthHandler as unknown as ResourceHealthHandler;
  const Popup = extension.properties.popupComponent as unknown as
    ComponentType<WatchK8sResults<ResourcesObject>> | undefined;
  const results = useK8sWatchResources<ResourcesObject>(resources);
  const health = healthHandler(results, t) ?? { state: 'NOT_AVAILABLE', message: undefined };
  return (
    <HealthItem
      title={translateExtensionLabel(title, t)}
      state={health.state}
      message={health.message}
      popupTitle={translateExtensionLabel(popupTitle, t) || undefined}
    >
      {Popup && <Popup {...results} />}
    </HealthItem>
  );
};
