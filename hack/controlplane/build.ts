// `npm run controlplane:build`: builds (or confirms the cache of) the control-plane binaries.
import { ensureBinaries } from './binaries.ts';

const binaries = await ensureBinaries();
console.log(JSON.stringify({ dir: binaries.dir, built: binaries.built }));
