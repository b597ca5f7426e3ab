import type { PaginationTitles } from '@patternfly/react-core';
import type { TFunction } from 'i18next';

/** Rows a page may show, as every paged table of the plugin offers them. */
export const PER_PAGE_OPTIONS = [10, 20, 50, 100].map((value) => ({ title: String(value), value }));

/** PatternFly's pagination words in the reader's language; `ariaLabel` names the table it pages. */
export const paginationTitles = (t: TFunction, ariaLabel: string): PaginationTitles => ({
  paginationAriaLabel: ariaLabel,
  itemsPerPage: t('Items per page'),
  perPageSuffix: t('per page'),
  optionsToggleAriaLabel: t('Items per page'),
  ofWord: t('of'),
  currPageAriaLabel: t('Current page'),
  toFirstPageAriaLabel: t('Go to first page'),
  toPreviousPageAriaLabel: t('Go to previous page'),
  toNextPageAriaLabel: t('Go to next page'),
  toLastPageAriaLabel: t('Go to last page'),
});
