// Runs once before any test worker starts: builds or confirms the cached control-plane
// binaries, and prometheus and promtool for the alert tests, so that parallel test files never
// race to build them (nor build them under a hook's timeout).
import { ensureBinaries } from '../controlplane/binaries.ts';
import { ensurePrometheus } from '../prometheus/prometheus.ts';

export default async function setup(): Promise<void> {
  await ensureBinaries((line) => console.log(line));
  await ensurePrometheus((line) => console.log(line));
}
