// The SDK components the plugin renders, with the console's markup and class names where a
// plugin or a test could depend on them (co-resource-item, data-test attributes, page-heading).
import { useEffect, useSyncExternalStore, type FC } from 'react';
import type {
  DocumentTitleProps,
  K8sGroupVersionKind,
  K8sResourceKindReference,
  ListPageHeaderProps,
  ResourceIconProps,
  ResourceLinkProps,
  TimestampProps,
} from '@openshift-console/dynamic-plugin-sdk';
import { Content, PageSection, Split, SplitItem, Title } from '@patternfly/react-core';
import { GlobeAmericasIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { kindToAbbr, modelKeyOf, resourcePathFromModel, useK8sModel } from './k8sModels';

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ');

const kindOf = (groupVersionKind?: K8sGroupVersionKind, kind?: K8sResourceKindReference): string =>
  groupVersionKind?.kind ?? modelKeyOf(kind)?.kind ?? '';

export const ResourceIcon: FC<ResourceIconProps> = ({ className, groupVersionKind, kind }) => {
  const [model] = useK8sModel(groupVersionKind ?? kind);
  const kindName = kindOf(groupVersionKind, kind);
  if (!kindName) return null;
  return (
    <span
      className={classes('co-m-resource-icon', `co-m-resource-${kindName.toLowerCase()}`, className)}
      title={kindName}
    >
      <span aria-hidden="true">{model?.abbr ?? kindToAbbr(kindName)}</span>
      <span className="pf-v6-screen-reader">{kindName}</span>
    </span>
  );
};

export const ResourceLink: FC<ResourceLinkProps> = ({
  kind,
  groupVersionKind,
  className,
  displayName,
  inline = false,
  linkTo = true,
  name,
  namespace,
  hideIcon,
  title,
  dataTest,
  onClick,
  truncate,
  nameSuffix,
  children,
}) => {
  const [model] = useK8sModel(groupVersionKind ?? kind);
  if (!kind && !groupVersionKind) return null;
  const value = displayName || name;
  const path = linkTo && model && name ? resourcePathFromModel(model, name, namespace) : undefined;
  return (
    <span
      className={classes(
        'co-resource-item',
        className,
        inline && 'co-resource-item--inline',
        truncate && 'co-resource-item--truncate',
      )}
    >
      {!hideIcon && <ResourceIcon groupVersionKind={groupVersionKind} kind={kind} />}
      {path ? (
        <Link
          to={path}
          title={title}
          className="co-resource-item__resource-name"
          data-test-id={value}
          data-test={dataTest ?? value}
          onClick={onClick}
        >
          {value}
          {nameSuffix}
        </Link>
      ) : (
        <span className="co-resource-item__resource-name" data-test-id={value} data-test={dataTest ?? value}>
          {value}
          {nameSuffix}
        </span>
      )}
      {children}
    </span>
  );
};

// All Timestamp instances tick together, as in the console.
const clockListeners = new Set<() => void>();
let now = Date.now();
let clock: ReturnType<typeof setInterval> | undefined;
const subscribeToClock = (listener: () => void) => {
  clockListeners.add(listener);
  clock ??= setInterval(() => {
    now = Date.now();
    clockListeners.forEach((l) => l());
  }, 10_000);
  return () => {
    clockListeners.delete(listener);
    if (clockListeners.size === 0 && clock) {
      clearInterval(clock);
      clock = undefined;
    }
  };
};

const relativeTime = (date: Date, reference: number, language: string): string => {
  const seconds = Math.round((date.getTime() - reference) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(0, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
};

/** Relative within 10.5 minutes, absolute (locale date and time) after that: the console's timestampFor. */
export const Timestamp: FC<TimestampProps> = ({ timestamp, simple, omitSuffix, className }) => {
  const { i18n } = useTranslation();
  const current = useSyncExternalStore(subscribeToClock, () => now);
  const date = timestamp ? new Date(timestamp) : undefined;
  if (!date || Number.isNaN(date.getTime())) return <div className="co-timestamp">-</div>;
  const language = i18n.language || 'en';
  // The shared clock ticks every 10 s, so a timestamp up to one tick newer than it is "now", not a date.
  const elapsed = current - date.getTime();
  const text =
    omitSuffix || (elapsed > -10_000 && elapsed < 630_000)
      ? relativeTime(date, current, language)
      : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  if (simple) return <>{text}</>;
  return (
    <span className={classes('co-timestamp', className)}>
      <GlobeAmericasIcon className="co-timestamp__icon" aria-hidden="true" />
      <time dateTime={date.toISOString()} title={date.toUTCString()}>
        {text}
      </time>
    </span>
  );
};

export const ListPageHeader: FC<ListPageHeaderProps> = ({ title, badge, children, helpAlert, helpText }) => (
  <PageSection hasBodyWrapper={false} className="co-page-heading">
    <Split hasGutter>
      <SplitItem isFilled>
        {title && (
          <Title headingLevel="h1" data-test="page-heading">
            {title}
            {badge && <span className="co-page-heading__badge">{badge}</span>}
          </Title>
        )}
      </SplitItem>
      {children && <SplitItem>{children}</SplitItem>}
    </Split>
    {helpText && (
      <Content component="p" className="co-page-heading__help-text">
        {helpText}
      </Content>
    )}
    {helpAlert}
  </PageSection>
);

/** Sets the browser tab's title: "<title> · <product>". */
export const DocumentTitle: FC<DocumentTitleProps> = ({ children }) => {
  useEffect(() => {
    document.title = `${children} · ${window.SERVER_FLAGS?.productName ?? 'OpenShift'}`;
  }, [children]);
  return null;
};
