// The browser benchmark's cluster and what the capacity table must show for it, as pure
// functions: how many peer pods each worker carries, the rows of the table's first page for a
// sort or a name filter (computed here from the pod spread, independently of the plugin), and the
// statistics of the runs.

/** Worker names as the local stack creates them. */
export const workerName = (index: number): string => `worker-${index}`;

/** VMs per node the PeerPodConfig allows in the stack (limit "10"). */
export const NODE_LIMIT = 10;
/** The node table's page size when the page opens. */
export const FIRST_PAGE_ROWS = 20;

/**
 * Peer pods bound to worker `index`: 0 to 4, spread so that neither the first nor the last
 * worker is an extreme (sorting by utilisation moves other nodes to the top).
 */
export const podsOnNode = (index: number): number => (7 * index + 3) % 5;

export const totalPods = (nodes: number): number =>
  Array.from({ length: nodes }, (_, i) => podsOnNode(i)).reduce((sum, n) => sum + n, 0);

/** The table's name order: numeric, worker-2 before worker-10. */
const collator = new Intl.Collator('en', { numeric: true });

export interface TableQuery {
  /** Sort by utilisation (pods / limit), else by name; ties fall back to the name, ascending. */
  sort: { column: 'name' | 'utilisation'; direction: 'asc' | 'desc' };
  nameFilter?: string;
}

/** The node names on the table's first page for a query, in display order. */
export function expectedFirstPage(nodes: number, query: TableQuery, perPage = FIRST_PAGE_ROWS): string[] {
  const wanted = query.nameFilter?.trim().toLowerCase() ?? '';
  const sign = query.sort.direction === 'asc' ? 1 : -1;
  const rows = Array.from({ length: nodes }, (_, i) => ({ name: workerName(i), used: podsOnNode(i) })).filter((row) =>
    row.name.includes(wanted),
  );
  rows.sort((a, b) => {
    const byColumn =
      query.sort.column === 'name'
        ? sign * collator.compare(a.name, b.name)
        : sign * (Math.round((a.used / NODE_LIMIT) * 100) - Math.round((b.used / NODE_LIMIT) * 100));
    return byColumn !== 0 ? byColumn : collator.compare(a.name, b.name);
  });
  return rows.slice(0, perPage).map((row) => row.name);
}

/**
 * A name filter that narrows the table to a handful of rows: the last worker's name without its
 * last digit ("worker-99" of 1,000 nodes matches worker-99 and worker-990…999).
 */
export function nameFilterFor(nodes: number): string {
  const last = workerName(nodes - 1);
  return nodes > 10 ? last.slice(0, -1) : last;
}

export interface Stats {
  runs: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

/** Median (mean of the middle two for an even count) and nearest-rank p90, rounded to 1 ms. */
export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('stats: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)]!;
  return {
    runs: sorted.length,
    medianMs: Math.round(median),
    p90Ms: Math.round(p90),
    minMs: Math.round(sorted[0]!),
    maxMs: Math.round(sorted.at(-1)!),
  };
}
