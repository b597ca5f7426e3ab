// Helper process for the cleanup test: starts a control plane, reports its pids and
// directory on stdout as one JSON line, then waits to be killed.
import { startControlPlane } from '../controlplane/controlplane.ts';

const cp = await startControlPlane({ installBase: false });
console.log(JSON.stringify({ pids: cp.pids(), dir: cp.dir }));
setInterval(() => {}, 60_000);
