// Runs in the benchmarked page before any of its scripts (Playwright addInitScript), after a
// line that sets globalThis.__peerPodsBenchConfig = { firstPage: string[], totals: string[] }.
// Plain JavaScript read as text: it is never bundled or transpiled, so nothing is injected into it.
//
// It records, in ms since the navigation started (performance.now()), when the node table shows
// exactly the expected first page of rows and the cluster totals show every expected text (the
// node count, the VMs in use) (`tableAt`),
// and when the frame after that was painted (`paintedAt`). measure() times an interaction the
// same way: from the action to the table showing the expected rows, and the next frame.
/* global document, MutationObserver, requestAnimationFrame, HTMLInputElement */
(() => {
  const config = globalThis.__peerPodsBenchConfig;
  const TABLE = 'table[aria-label="Peer pod VM capacity per node"]';
  const TOTALS = 'section[aria-label="Cluster totals"]';
  const rowNames = () =>
    Array.from(document.querySelectorAll(`${TABLE} tbody tr`), (row) => row.querySelector('a')?.textContent ?? '');
  const showsRows = (expected) => {
    const names = rowNames();
    return names.length === expected.length && names.every((name, i) => name === expected[i]);
  };
  const totalsText = () => document.querySelector(TOTALS)?.textContent ?? '';
  const showsTotals = () => config.totals.every((text) => totalsText().includes(text));
  const state = { tableAt: undefined, paintedAt: undefined };

  const observer = new MutationObserver(() => {
    if (state.tableAt !== undefined) return;
    if (!showsRows(config.firstPage) || !showsTotals()) return;
    state.tableAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      state.paintedAt = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });

  const actions = {
    /** Clicks a sortable column header of the node table. */
    sort: (column) => {
      const header = Array.from(document.querySelectorAll(`${TABLE} thead th`)).find(
        (th) => th.textContent.trim() === column,
      );
      const button = header?.querySelector('button');
      if (!button) throw new Error(`no sortable column "${column}" in the node table`);
      button.click();
    },
    /** Types into the name filter as a user would: the value changes and an input event fires. */
    filter: (text) => {
      const input = document.querySelector('input[aria-label="Filter nodes by name"]');
      if (!input) throw new Error('no name filter above the node table');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
  };

  globalThis.__peerPodsBench = {
    state,
    rowNames,
    totalsText,
    showsTotals,
    /** Resolves with { domMs, paintMs } once the table shows `expected` after the action. */
    measure: (action, argument, expected, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        let done = false;
        const finish = () => {
          if (done || !showsRows(expected)) return;
          done = true;
          const domMs = performance.now() - started;
          watcher.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve({ domMs, paintMs: performance.now() - started }));
        };
        const watcher = new MutationObserver(finish);
        const timer = setTimeout(() => {
          watcher.disconnect();
          reject(new Error(`after ${action} "${argument}" the table showed ${JSON.stringify(rowNames())}`));
        }, timeoutMs);
        watcher.observe(document, { childList: true, subtree: true, characterData: true });
        actions[action](argument);
        finish();
      }),
  };
})();
