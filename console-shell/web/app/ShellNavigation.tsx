// The admin perspective's navigation: the shell's own sections (Home, Compute) with the
// console's ids, plus console.navigation/section and console.navigation/href extensions, placed
// by `section`, `insertBefore`/`insertAfter`, and active for `href` or any `startsWith` prefix.
// As in the console, Compute requires the flag CAN_LIST_NODE (hidden from users who may not list
// nodes), and an item shows only inside its section: one whose section is hidden is hidden too.
import type { FC } from 'react';
import { Nav, NavExpandable, NavItem, NavList } from '@patternfly/react-core';
import {
  isHrefNavItem,
  isNavSection,
  type HrefNavItem,
  type NavSection,
} from '@openshift-console/dynamic-plugin-sdk/lib/extensions';
import { useExtensions, useFeatureFlag } from '@openshift/dynamic-plugin-sdk';
import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import { CAN_LIST_NODE } from '../accessFlags';
import { translateExtensionLabel } from './extensionLabels';

type Item = {
  id: string;
  name: string;
  href: string;
  startsWith?: string[];
  insertBefore?: string | string[];
  insertAfter?: string | string[];
  dataAttributes?: Record<string, string>;
};
type Section = {
  id: string;
  name: string;
  items: Item[];
  insertBefore?: string | string[];
  insertAfter?: string | string[];
  /** Feature flags the section needs, as an extension's `flags.required`. */
  requiredFlags?: string[];
};

const BUILT_IN_SECTIONS: Section[] = [
  { id: 'home', name: 'Home', items: [{ id: 'dashboards', name: 'Overview', href: '/dashboards' }] },
  {
    id: 'compute',
    name: 'Compute',
    requiredFlags: [CAN_LIST_NODE],
    items: [{ id: 'nodes', name: 'Nodes', href: '/k8s/cluster/nodes', startsWith: ['/k8s/cluster/nodes'] }],
  },
];

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Inserts each added entry before/after the first named sibling found, else at the end (the console's rule). */
const placeAll = <T extends { id: string; insertBefore?: string | string[]; insertAfter?: string | string[] }>(
  base: T[],
  added: T[],
): T[] => {
  const result = [...base];
  for (const entry of added) {
    const before = asList(entry.insertBefore)
      .map((id) => result.findIndex((e) => e.id === id))
      .find((i) => i >= 0);
    const after = asList(entry.insertAfter)
      .map((id) => result.findIndex((e) => e.id === id))
      .find((i) => i >= 0);
    if (before !== undefined) result.splice(before, 0, entry);
    else if (after !== undefined) result.splice(after + 1, 0, entry);
    else result.push(entry);
  }
  return result;
};

const inAdminPerspective = (e: { properties: { perspective?: string } }) =>
  !e.properties.perspective || e.properties.perspective === 'admin';

export const ShellNavigation: FC = () => {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const sectionExtensions = useExtensions<NavSection>(isNavSection);
  const hrefExtensions = useExtensions<HrefNavItem>(isHrefNavItem);
  // The plugin store filters extensions by their flags; the built-in sections are filtered here.
  const [canListNodes] = useFeatureFlag(CAN_LIST_NODE);
  const flags: Record<string, boolean | undefined> = { [CAN_LIST_NODE]: canListNodes };
  const flagIsOn = (flag: string) => flags[flag] === true;

  const sections = placeAll(
    BUILT_IN_SECTIONS.filter((s) => (s.requiredFlags ?? []).every(flagIsOn)).map((s) => ({
      ...s,
      items: [...s.items],
    })),
    sectionExtensions.filter(inAdminPerspective).map((e) => ({
      id: e.properties.id,
      name: translateExtensionLabel(e.properties.name, t),
      items: [],
      insertBefore: e.properties.insertBefore,
      insertAfter: e.properties.insertAfter,
    })),
  );
  const topLevel: Item[] = [];
  for (const e of hrefExtensions.filter(inAdminPerspective)) {
    const item: Item = {
      id: e.properties.id,
      name: translateExtensionLabel(e.properties.name, t),
      href: e.properties.href,
      startsWith: e.properties.startsWith,
      insertBefore: e.properties.insertBefore,
      insertAfter: e.properties.insertAfter,
      dataAttributes: e.properties.dataAttributes,
    };
    if (e.properties.section === undefined) {
      topLevel.push(item);
      continue;
    }
    const section = sections.find((s) => s.id === e.properties.section);
    if (section) section.items = placeAll(section.items, [item]);
  }

  const isActive = (item: Item) =>
    pathname === item.href ||
    pathname.startsWith(`${item.href}/`) ||
    (item.startsWith ?? []).some((prefix) => pathname.startsWith(prefix));

  // NavItem clones a single element child with its link classes and aria-current.
  const renderItem = (item: Item) => (
    <NavItem key={item.id} itemId={item.id} isActive={isActive(item)} data-test-id={`${item.id}-nav-item`}>
      <NavLink to={item.href} {...item.dataAttributes}>
        {item.name}
      </NavLink>
    </NavItem>
  );

  return (
    <Nav aria-label="Main navigation">
      <NavList>
        {topLevel.map(renderItem)}
        {sections
          .filter((s) => s.items.length > 0)
          .map((s) => (
            <NavExpandable
              key={s.id}
              id={`nav-section-${s.id}`}
              title={s.name}
              isExpanded
              isActive={s.items.some(isActive)}
              data-quickstart-id={`qs-nav-${s.id}`}
            >
              {s.items.map(renderItem)}
            </NavExpandable>
          ))}
      </NavList>
    </Nav>
  );
};
