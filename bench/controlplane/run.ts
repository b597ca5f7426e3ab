// Benchmark: how fast the local control plane starts from cached binaries, and what its three
// processes hold in memory once idle. The cold build time is printed by `npm run
// controlplane:build` on a machine without the cache. Prints one JSON object.
//
//   npx tsx bench/controlplane/run.ts [--runs 3] [--idle-seconds 20]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startControlPlane } from '../../hack/controlplane/controlplane.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, 'idle-seconds': { type: 'string', default: '20' } },
});
const runs = Number(values.runs);
const idleMs = Number(values['idle-seconds']) * 1000;

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

const startMs: number[] = [];
let idle: Record<string, number> = {};
for (let run = 0; run < runs; run++) {
  const started = Date.now();
  const cp = await startControlPlane();
  startMs.push(Date.now() - started);
  if (run === runs - 1) {
    await new Promise((r) => setTimeout(r, idleMs));
    idle = Object.fromEntries(Object.entries(cp.pids()).map(([name, pid]) => [name, rssMb(pid)]));
  }
  await cp.stop();
}
const sorted = [...startMs].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    warmStartMs: startMs,
    warmStartMedianMs: sorted[Math.floor(sorted.length / 2)],
    idleAfterSeconds: idleMs / 1000,
    idleRssMb: idle,
    idleRssTotalMb: Object.values(idle).reduce((a, b) => a + b, 0),
  }),
);
