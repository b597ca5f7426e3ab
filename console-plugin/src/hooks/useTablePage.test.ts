import { act, renderHook } from '@testing-library/react';

import { useTablePage } from './useTablePage';

const numbers = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

const renderPage = (rows: number[], perPage = 10) =>
  renderHook(({ rows: current }) => useTablePage(current, perPage), { initialProps: { rows } });

describe('useTablePage', () => {
  it('starts on the first page with perPage rows', () => {
    const { result } = renderPage(numbers(25));
    expect(result.current.page).toBe(1);
    expect(result.current.pageRows).toEqual(numbers(10));
  });

  it('shows the rows of the page asked for, the last one possibly short', () => {
    const { result } = renderPage(numbers(25));
    act(() => result.current.setPage(3));
    expect(result.current.pageRows).toEqual([21, 22, 23, 24, 25]);
  });

  it('falls back to the last page there is when rows go away, and returns when they come back', () => {
    const { result, rerender } = renderPage(numbers(25));
    act(() => result.current.setPage(3));
    rerender({ rows: numbers(12) });
    expect(result.current.page).toBe(2);
    expect(result.current.pageRows).toEqual([11, 12]);
    rerender({ rows: numbers(25) });
    expect(result.current.page).toBe(3);
  });

  it('stays on page 1 of an empty table', () => {
    const { result } = renderPage([]);
    expect(result.current.page).toBe(1);
    expect(result.current.pageRows).toEqual([]);
  });

  it('goes back to the first page when the page size changes', () => {
    const { result } = renderPage(numbers(100));
    act(() => result.current.setPage(4));
    act(() => result.current.setPerPage(20));
    expect(result.current.page).toBe(1);
    expect(result.current.perPage).toBe(20);
    expect(result.current.pageRows).toEqual(numbers(20));
  });
});
