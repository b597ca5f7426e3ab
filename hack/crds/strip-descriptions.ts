// Maintenance tool: regenerates hack/crds/*.yaml from the upstream CRDs in the workplace's
// shared/crds folder, keeping the schema (names, types, defaults, validations) and dropping
// every `description` (upstream prose). Usage: tsx hack/crds/strip-descriptions.ts <source-dir>
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, load } from 'js-yaml';

const sources: Record<string, string> = {
  'consoleplugins.console.openshift.io.yaml':
    'openshift/api console/v1/zz_generated.crd-manifests/90_consoleplugins.crd.yaml (2026-08)',
  'infrastructures.config.openshift.io.yaml':
    'openshift/api config/v1/zz_generated.crd-manifests/0000_10_config-operator_01_infrastructures-Default.crd.yaml (2026-08)',
  'consoles.operator.openshift.io.yaml':
    'openshift/api operator/v1/zz_generated.crd-manifests/0000_50_console_01_consoles.crd.yaml (2026-08)',
  'peerpodconfigs.confidentialcontainers.org.yaml': 'openshift/sandboxed-containers-operator bundle/manifests/',
  'peerpods.confidentialcontainers.org.yaml':
    'confidential-containers/cloud-api-adaptor src/peerpod-ctrl/config/crd/bases/',
};

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') continue;
      out[key] = strip(value);
    }
    return out;
  }
  return node;
}

const sourceDir = process.argv[2];
if (!sourceDir) {
  console.error('usage: tsx hack/crds/strip-descriptions.ts <dir with upstream CRD yaml files>');
  process.exit(2);
}
const outDir = dirname(fileURLToPath(import.meta.url));
for (const file of readdirSync(sourceDir).filter((f) => f.endsWith('.yaml'))) {
  const doc = strip(load(readFileSync(join(sourceDir, file), 'utf8')));
  const origin = sources[basename(file)] ?? 'upstream';
  const header = `# Source: ${origin}\n# Copied ${new Date().toISOString().slice(0, 10)} with every description removed (schema only).\n`;
  writeFileSync(join(outDir, file), header + dump(doc, { lineWidth: -1, noRefs: true }));
  console.log(`wrote ${file}`);
}
