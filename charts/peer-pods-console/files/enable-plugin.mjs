// Adds the console plugin to consoles.operator.openshift.io/cluster spec.plugins, once.
// Run by the chart's enable-plugin Job (with the image's node, as its own ServiceAccount, which
// may only get and patch that one object). Idempotent: a plugin already listed is left alone.
// Safe beside other writers: every JSON Patch first tests metadata.resourceVersion, so a change
// made in between fails the patch (409/422) and this script reads again and retries.
//
// Environment: PLUGIN_NAME (required); KUBE_API_URL, KUBE_TOKEN_FILE, KUBE_CA_FILE override the
// in-cluster defaults (the tests run it against a local API server).
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';

const CONSOLE_CONFIG_PATH = '/apis/operator.openshift.io/v1/consoles/cluster';
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const ATTEMPTS = 8;

function fail(message) {
  console.error(`enable-plugin: ${message}`);
  process.exit(1);
}

function inClusterApiUrl() {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) fail('KUBERNETES_SERVICE_HOST is not set: run in a pod, or set KUBE_API_URL');
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const plugin = process.env.PLUGIN_NAME ?? '';
if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(plugin))
  fail(`PLUGIN_NAME ${JSON.stringify(plugin)} is not a plugin name`);
const apiUrl = process.env.KUBE_API_URL || inClusterApiUrl();
const token = readFileSync(process.env.KUBE_TOKEN_FILE || `${SERVICE_ACCOUNT_DIR}/token`, 'utf8').trim();
const ca = readFileSync(process.env.KUBE_CA_FILE || `${SERVICE_ACCOUNT_DIR}/ca.crt`);

function call(method, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(CONSOLE_CONFIG_PATH, apiUrl),
      {
        method,
        ca,
        timeout: 15_000,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json-patch+json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${CONSOLE_CONFIG_PATH} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function patchFor(consoleConfig) {
  const guard = { op: 'test', path: '/metadata/resourceVersion', value: consoleConfig.metadata.resourceVersion };
  const spec = consoleConfig.spec;
  if (spec === undefined || spec === null) return [guard, { op: 'add', path: '/spec', value: { plugins: [plugin] } }];
  if (!Array.isArray(spec.plugins)) return [guard, { op: 'add', path: '/spec/plugins', value: [plugin] }];
  return [guard, { op: 'add', path: '/spec/plugins/-', value: plugin }];
}

for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
  const current = await call('GET');
  if (current.status === 404) {
    fail('consoles.operator.openshift.io/cluster does not exist: is this an OpenShift cluster with the console?');
  }
  if (current.status !== 200)
    fail(`reading consoles.operator.openshift.io/cluster: HTTP ${current.status} ${current.text}`);
  const plugins = current.json.spec?.plugins;
  if (Array.isArray(plugins) && plugins.includes(plugin)) {
    console.log(`enable-plugin: ${plugin} is enabled in consoles.operator.openshift.io/cluster`);
    process.exit(0);
  }
  const patched = await call('PATCH', patchFor(current.json));
  if (patched.status === 200) {
    console.log(`enable-plugin: added ${plugin} to consoles.operator.openshift.io/cluster spec.plugins`);
    process.exit(0);
  }
  if (patched.status !== 409 && patched.status !== 422) {
    fail(`patching consoles.operator.openshift.io/cluster: HTTP ${patched.status} ${patched.text}`);
  }
  console.log(
    `enable-plugin: the console config changed while patching it (attempt ${attempt}/${ATTEMPTS}); reading it again`,
  );
  await sleep(250 * attempt);
}
fail(`gave up after ${ATTEMPTS} attempts: consoles.operator.openshift.io/cluster keeps changing`);
