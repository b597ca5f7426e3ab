// `npm run prometheus:build`: builds (or confirms the cache of) prometheus and promtool, which the
// alert-rule tests run. The integration lane's global set-up calls the same function.
import { ensurePrometheus } from './prometheus.ts';

const binaries = await ensurePrometheus();
console.log(JSON.stringify({ dir: binaries.dir, built: binaries.built }));
