// How a figure grows with the cluster: the least-squares slope against nodes, per 1,000 nodes
// (what 1,000 more nodes cost), and a plain-text table of the sizes with that slope as last row.

export interface Point {
  nodes: number;
  value: number;
}

/** Slope of value against nodes, per 1,000 nodes; null with fewer than two sizes. */
export function slopePerThousandNodes(points: readonly Point[]): number | null {
  const distinct = new Set(points.map((p) => p.nodes));
  if (distinct.size < 2) return null;
  const xs = points.map((p) => p.nodes / 1000);
  const ys = points.map((p) => p.value);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  return Math.round((sxy / sxx) * 100) / 100;
}

/** Columns right-aligned, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => header.map((_, i) => (cells[i] ?? '').padStart(widths[i]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
