import { useState } from 'react';

export type TablePage<R> = {
  /** The page shown, counted from 1; never past the last page there is. */
  page: number;
  perPage: number;
  /** The rows of that page. */
  pageRows: R[];
  setPage: (page: number) => void;
  /** Also goes back to the first page. */
  setPerPage: (perPage: number) => void;
  /** Back to the first page, e.g. when a filter or the order changes. */
  toFirstPage: () => void;
};

/**
 * One page of a table's rows. A page past the end (rows filtered away, or gone after a refresh)
 * shows the last page there is; the page asked for is kept in case the rows come back.
 */
export const useTablePage = <R>(rows: readonly R[], defaultPerPage: number): TablePage<R> => {
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(defaultPerPage);
  const lastPage = Math.max(1, Math.ceil(rows.length / perPage));
  const currentPage = Math.min(page, lastPage);
  return {
    page: currentPage,
    perPage,
    pageRows: rows.slice((currentPage - 1) * perPage, currentPage * perPage),
    setPage,
    setPerPage: (value) => {
      setPerPage(value);
      setPage(1);
    },
    toFirstPage: () => setPage(1),
  };
};
