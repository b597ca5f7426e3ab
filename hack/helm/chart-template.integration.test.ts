// The Helm chart, rendered and linted by the real helm CLI: what an admin gets from each way of
// installing it, that every backend setting comes from values, that the webhook registration is
// the backend's own, and that bad values fail at install with a message naming the value.
// (chart.integration.test.ts applies the same objects to a real API server.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  V1ClusterRole,
  V1Container,
  V1Deployment,
  V1Job,
  V1MutatingWebhookConfiguration,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V1Role,
  V1Service,
} from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, settingDocs } from '../../backend/src/config.ts';
import { renderWebhookConfiguration } from '../../backend/src/webhook/webhook-configuration.ts';
import {
  CHART_DIR,
  ChartRenderer,
  DEFAULT_NAMESPACE,
  findAll,
  findOne,
  isHook,
  REPO_ROOT,
  TEST_CA_BUNDLE,
  VARIANTS,
  type Manifest,
} from './render.ts';

const NS = DEFAULT_NAMESPACE;
const FULLNAME = 'peer-pods-console';
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  consolePlugin: { name: string };
};
const pluginName = packageJson.consolePlugin.name;
const packageVersion = packageJson.version;

let chart: ChartRenderer;

beforeAll(async () => {
  chart = await ChartRenderer.create((line) => console.log(line));
}, 15 * 60_000);

afterAll(() => chart?.dispose());

function deploymentOf(objects: Manifest[]): V1Deployment {
  return findOne(objects, 'Deployment') as unknown as V1Deployment;
}

function backendContainer(objects: Manifest[]): V1Container {
  const container = deploymentOf(objects).spec!.template.spec!.containers.find((c) => c.name === 'backend');
  if (!container) throw new Error('the Deployment has no container "backend"');
  return container;
}

/** The container's environment as the kubelet would give it to a pod named `pod` in NS. */
function resolvedEnv(container: V1Container, pod = 'peer-pods-console-7d9f-abcde'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    const field = variable.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.name') env[variable.name] = pod;
    else if (field === 'metadata.namespace') env[variable.name] = NS;
    else if (variable.valueFrom)
      throw new Error(`${variable.name}: unexpected valueFrom ${JSON.stringify(variable.valueFrom)}`);
    else env[variable.name] = variable.value ?? '';
  }
  return env;
}

describe('helm lint', () => {
  it('passes for the default values', async () => {
    const result = await chart.lint();
    expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it.each(Object.entries(VARIANTS))('passes --strict for the %s values', async (_name, values) => {
    const result = await chart.lint({ strict: true, values });
    expect(result.stdout + result.stderr).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.code).toBe(0);
  });
});

describe('helm template', () => {
  it('renders the backend, its Service, RBAC, ConsolePlugin, webhook, PDB and NetworkPolicy by default', async () => {
    const kinds = (await chart.render()).map((o) => `${o.kind}/${o.metadata!.name}`).sort();
    expect(kinds).toEqual(
      [
        `ClusterRole/${FULLNAME}`,
        `ClusterRoleBinding/${FULLNAME}`,
        `ConsolePlugin/${pluginName}`,
        `Deployment/${FULLNAME}`,
        `MutatingWebhookConfiguration/${FULLNAME}-pod-mutator`,
        `NetworkPolicy/${FULLNAME}`,
        `PodDisruptionBudget/${FULLNAME}`,
        `Role/${FULLNAME}-leader-election`,
        `Role/${FULLNAME}-peerpodconfig`,
        `RoleBinding/${FULLNAME}-leader-election`,
        `RoleBinding/${FULLNAME}-peerpodconfig`,
        `Service/${FULLNAME}`,
        `ServiceAccount/${FULLNAME}`,
      ].sort(),
    );
  });

  it.each(Object.entries(VARIANTS))('never ships a CustomResourceDefinition (%s values)', async (_name, values) => {
    const objects = await chart.render({ values });
    expect(findAll(objects, 'CustomResourceDefinition')).toEqual([]);
    expect(() => readFileSync(join(CHART_DIR, 'crds'))).toThrow();
  });

  it('runs two replicas with leader election, each identified by the downward API', async () => {
    const objects = await chart.render();
    expect(deploymentOf(objects).spec!.replicas).toBe(2);
    const env = backendContainer(objects).env!;
    expect(env.find((e) => e.name === 'LEADER_ELECTION')?.value).toBe('true');
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(env.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
  });

  it('spreads replicas over nodes with a preferred anti-affinity by hostname', async () => {
    const deployment = deploymentOf(await chart.render());
    const terms = deployment.spec!.template.spec!.affinity!.podAntiAffinity!;
    expect(terms.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    const [preferred] = terms.preferredDuringSchedulingIgnoredDuringExecution!;
    expect(preferred!.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(preferred!.podAffinityTerm.labelSelector!.matchLabels).toEqual(deployment.spec!.selector.matchLabels);
  });

  it('probes /healthz (startup, liveness) and /readyz (readiness) over HTTPS on the health port, not the API port', async () => {
    const container = backendContainer(await chart.render());
    expect(container.startupProbe!.httpGet).toEqual({ scheme: 'HTTPS', port: 'metrics', path: '/healthz' });
    expect(container.livenessProbe!.httpGet).toEqual({ scheme: 'HTTPS', port: 'metrics', path: '/healthz' });
    expect(container.readinessProbe!.httpGet).toEqual({ scheme: 'HTTPS', port: 'metrics', path: '/readyz' });
    expect(container.ports!.map((p) => [p.name, p.containerPort])).toEqual([
      ['https', 9001],
      ['metrics', 9444],
      ['webhook', 9443],
    ]);
    expect(resolvedEnv(container).METRICS_PORT).toBe('9444');
  });

  it('is restricted-v2 compatible: non-root, no escalation, no capabilities, RuntimeDefault seccomp, read-only root', async () => {
    const objects = await chart.render();
    const pod = deploymentOf(objects).spec!.template.spec!;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // restricted-v2 assigns the UID from the namespace's range: the chart must not pin one
    expect(pod.securityContext!.runAsUser).toBeUndefined();
    expect(backendContainer(objects).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const tmp = pod.volumes!.find((v) => v.name === 'tmp')!;
    expect(tmp.emptyDir).toBeDefined();
    expect(backendContainer(objects).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  it('sets resources from values', async () => {
    const container = backendContainer(
      await chart.render({
        values: { resources: { requests: { cpu: '200m', memory: '300Mi' }, limits: { memory: '1Gi' } } },
      }),
    );
    expect(container.resources).toEqual({ requests: { cpu: '200m', memory: '300Mi' }, limits: { memory: '1Gi' } });
  });

  it('serves HTTPS and the webhook from the service CA certificate that the Service annotation requests', async () => {
    const objects = await chart.render();
    const service = findOne(objects, 'Service') as unknown as V1Service;
    const secretName = service.metadata!.annotations!['service.beta.openshift.io/serving-cert-secret-name'];
    expect(secretName).toBe(`${FULLNAME}-serving-cert`);
    const pod = deploymentOf(objects).spec!.template.spec!;
    const volume = pod.volumes!.find((v) => v.secret?.secretName === secretName)!;
    const mount = backendContainer(objects).volumeMounts!.find((m) => m.name === volume.name)!;
    expect(mount.subPath).toBeUndefined();
    const env = resolvedEnv(backendContainer(objects));
    expect(env.TLS_CERT_FILE).toBe(`${mount.mountPath}/tls.crt`);
    expect(env.TLS_KEY_FILE).toBe(`${mount.mountPath}/tls.key`);
    expect(env.WEBHOOK_CERT_FILE).toBe(`${mount.mountPath}/tls.crt`);
    expect(env.WEBHOOK_KEY_FILE).toBe(`${mount.mountPath}/tls.key`);
  });

  it('exposes 9001 as "https", 9444 as "metrics" and 9443 as "webhook" on the Service', async () => {
    const service = findOne(await chart.render(), 'Service') as unknown as V1Service;
    expect(service.spec!.ports!.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort }))).toEqual([
      { name: 'https', port: 9001, targetPort: 'https' },
      { name: 'metrics', port: 9444, targetPort: 'metrics' },
      { name: 'webhook', port: 9443, targetPort: 'webhook' },
    ]);
  });

  it('renders no ServiceMonitor by default, and one for the "metrics" port over HTTPS with the service CA when asked', async () => {
    expect(findAll(await chart.render(), 'ServiceMonitor')).toEqual([]);
    const objects = await chart.render({ values: { metrics: { serviceMonitor: { enabled: true, interval: '1m' } } } });
    const monitor = findOne(objects, 'ServiceMonitor') as { spec: Record<string, unknown> } & Manifest;
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    const service = findOne(objects, 'Service') as unknown as V1Service;
    const selector = (monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels;
    expect(service.metadata!.labels).toMatchObject(selector);
    expect(monitor.spec.endpoints).toEqual([
      {
        port: 'metrics',
        path: '/metrics',
        scheme: 'https',
        interval: '1m',
        tlsConfig: {
          ca: { configMap: { name: 'openshift-service-ca.crt', key: 'service-ca.crt' } },
          serverName: `${FULLNAME}.${NS}.svc`,
        },
        // the alert rules read `up` of this job, whatever the release is called
        relabelings: [{ action: 'replace', targetLabel: 'job', replacement: 'peer-pods-console' }],
      },
    ]);
  });
});

describe('backend settings', () => {
  it('sets every setting of backend/src/config.ts in the Deployment', async () => {
    const names = new Set(backendContainer(await chart.render()).env!.map((e) => e.name));
    const missing = settingDocs.filter((s) => !names.has(s.env)).map((s) => s.env);
    expect(missing).toEqual([]);
  });

  it('gives the backend a configuration it accepts, equal to the values', async () => {
    const config = loadConfig([], resolvedEnv(backendContainer(await chart.render())));
    expect(config).toMatchObject({
      port: 9001,
      metricsPort: 9444,
      basePath: '/',
      pluginAssetsDir: 'dist',
      kubeconfig: '',
      leaderElection: true,
      webhookPort: 9443,
      targetRuntimeClass: 'kata-remote',
      extendedResource: 'kata.peerpods.io/vm',
      peerPodConfigNamespace: 'openshift-sandboxed-containers-operator',
      peerPodConfigName: 'peerpodconfig-openshift',
      leaseNamespace: NS,
      identity: 'peer-pods-console-7d9f-abcde',
      orphanGraceSeconds: 600,
      inventoryIntervalSeconds: 60,
    });
    expect(config.webhookExcludedNamespaces).toEqual(['kube-system', 'kube-node-lease', 'openshift-*', NS]);
  });

  it('passes changed values through to the backend', async () => {
    const values = {
      backend: {
        basePath: '/backend/',
        logLevel: 'debug',
        shutdownTimeoutSeconds: 40,
        extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
      },
      peerPods: { runtimeClassName: 'kata-remote-2', extendedResource: 'example.com/vm' },
      peerPodConfig: { namespace: 'osc', name: 'my-config' },
      cloud: { aws: { endpoint: 'https://ec2.example.com' }, orphanGraceSeconds: 30, inventoryIntervalSeconds: 15 },
    };
    const objects = await chart.render({ values });
    const container = backendContainer(objects);
    const env = resolvedEnv(container);
    expect(loadConfig([], env)).toMatchObject({
      basePath: '/backend/',
      logLevel: 'debug',
      shutdownTimeoutSeconds: 40,
      targetRuntimeClass: 'kata-remote-2',
      extendedResource: 'example.com/vm',
      peerPodConfigNamespace: 'osc',
      peerPodConfigName: 'my-config',
      awsEndpoint: 'https://ec2.example.com',
      orphanGraceSeconds: 30,
      inventoryIntervalSeconds: 15,
    });
    expect(env.HTTPS_PROXY).toBe('http://proxy:3128');
    // The health port is not behind the console's proxy: its paths carry no base path.
    expect(container.readinessProbe!.httpGet!.path).toBe('/readyz');
    expect(deploymentOf(objects).spec!.template.spec!.terminationGracePeriodSeconds).toBe(50);
    const plugin = findOne(objects, 'ConsolePlugin') as {
      spec: { backend: { service: { basePath: string } } };
    } & Manifest;
    expect(plugin.spec.backend.service.basePath).toBe('/backend/');
    const role = findOne(objects, 'Role', `${FULLNAME}-peerpodconfig`);
    expect(role.metadata!.namespace).toBe('osc');
  });
});

describe('ConsolePlugin', () => {
  it('loads assets from the backend Service and proxies "backend" with the user token', async () => {
    const plugin = findOne(await chart.render(), 'ConsolePlugin');
    expect(plugin.apiVersion).toBe('console.openshift.io/v1');
    expect(plugin.metadata!.name).toBe(pluginName);
    expect(plugin.metadata!.namespace).toBeUndefined();
    const service = { name: FULLNAME, namespace: NS, port: 9001 };
    expect(plugin.spec).toEqual({
      displayName: 'Peer Pods',
      i18n: { loadType: 'Preload' },
      backend: { type: 'Service', service: { ...service, basePath: '/' } },
      proxy: [{ alias: 'backend', authorization: 'UserToken', endpoint: { type: 'Service', service } }],
    });
  });
});

describe('MutatingWebhookConfiguration', () => {
  function webhookConfigurationOf(objects: Manifest[]): V1MutatingWebhookConfiguration {
    return findOne(objects, 'MutatingWebhookConfiguration') as unknown as V1MutatingWebhookConfiguration;
  }

  it("registers exactly the webhook of the backend's renderWebhookConfiguration()", async () => {
    const rendered = webhookConfigurationOf(await chart.render());
    const expected = renderWebhookConfiguration({
      target: { service: { namespace: NS, name: FULLNAME, port: 9443 } },
      caBundlePem: Buffer.from(TEST_CA_BUNDLE, 'base64').toString(),
      name: `${FULLNAME}-pod-mutator`,
      additionalExcludedNamespaces: [NS],
    });
    delete expected.webhooks![0]!.clientConfig.caBundle;
    expect(rendered.metadata!.name).toBe(expected.metadata!.name);
    expect(rendered.webhooks).toEqual(expected.webhooks);
  });

  it('has the API server calls the Service on 9443 at /mutate-v1-pod, for CREATE of pods only', async () => {
    const [webhook] = webhookConfigurationOf(await chart.render()).webhooks!;
    expect(webhook!.clientConfig.service).toEqual({
      namespace: NS,
      name: FULLNAME,
      path: '/mutate-v1-pod',
      port: 9443,
    });
    expect(webhook).toMatchObject({
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      reinvocationPolicy: 'IfNeeded',
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    });
    const excluded = webhook!.namespaceSelector!.matchExpressions![0]!;
    expect(excluded).toMatchObject({ key: 'kubernetes.io/metadata.name', operator: 'NotIn' });
    expect(excluded.values).toEqual(expect.arrayContaining(['kube-system', 'openshift-console', NS]));
  });

  it('gets its CA from the service CA operator by default', async () => {
    const configuration = webhookConfigurationOf(await chart.render());
    expect(configuration.metadata!.annotations).toEqual({ 'service.beta.openshift.io/inject-cabundle': 'true' });
    expect(configuration.webhooks![0]!.clientConfig.caBundle).toBeUndefined();
  });

  it('gets its CA and serving certificate from cert-manager when caSource is cert-manager', async () => {
    const objects = await chart.render({ values: VARIANTS['cert-manager'] });
    const certificate = findOne(objects, 'Certificate') as { spec: Record<string, unknown> } & Manifest;
    expect(certificate.apiVersion).toBe('cert-manager.io/v1');
    expect(certificate.spec).toMatchObject({
      secretName: `${FULLNAME}-webhook-cert`,
      dnsNames: [`${FULLNAME}.${NS}.svc`, `${FULLNAME}.${NS}.svc.cluster.local`],
      issuerRef: { name: 'peer-pods-issuer', kind: 'Issuer', group: 'cert-manager.io' },
    });
    const configuration = webhookConfigurationOf(objects);
    expect(configuration.metadata!.annotations).toEqual({
      'cert-manager.io/inject-ca-from': `${NS}/${certificate.metadata!.name}`,
    });
    const pod = deploymentOf(objects).spec!.template.spec!;
    const env = resolvedEnv(backendContainer(objects));
    const webhookVolume = pod.volumes!.find((v) => v.secret?.secretName === `${FULLNAME}-webhook-cert`)!;
    const webhookMount = backendContainer(objects).volumeMounts!.find((m) => m.name === webhookVolume.name)!;
    expect(env.WEBHOOK_CERT_FILE).toBe(`${webhookMount.mountPath}/tls.crt`);
    // the console only trusts the service CA: the API port keeps that certificate
    expect(env.TLS_CERT_FILE).not.toBe(env.WEBHOOK_CERT_FILE);
  });

  it('uses the given caBundle and Secret when caSource is manual', async () => {
    const objects = await chart.render({ values: VARIANTS['manual caBundle'] });
    const configuration = webhookConfigurationOf(objects);
    expect(configuration.metadata!.annotations ?? {}).toEqual({});
    expect(configuration.webhooks![0]!.clientConfig.caBundle).toBe(TEST_CA_BUNDLE);
    const volumes = deploymentOf(objects).spec!.template.spec!.volumes!;
    expect(volumes.some((v) => v.secret?.secretName === 'peer-pods-webhook-tls')).toBe(true);
    expect(findAll(objects, 'Certificate')).toEqual([]);
  });

  it('is not rendered, and the backend serves no webhook, when webhook.enabled is false', async () => {
    const objects = await chart.render({ values: VARIANTS['webhook disabled'] });
    expect(findAll(objects, 'MutatingWebhookConfiguration')).toEqual([]);
    const config = loadConfig([], resolvedEnv(backendContainer(objects)));
    expect(config.webhookCertFile).toBe('');
    const service = findOne(objects, 'Service') as unknown as V1Service;
    expect(service.spec!.ports!.map((p) => p.name)).toEqual(['https', 'metrics']);
    const policy = findOne(objects, 'NetworkPolicy') as unknown as V1NetworkPolicy;
    expect(policy.spec!.ingress!.flatMap((rule) => rule.ports!.map((p) => p.port))).toEqual([9001, 9444]);
  });

  it('lets every pod through without the webhook unless it asks for the peer-pods runtime class', async () => {
    const [webhook] = webhookConfigurationOf(
      await chart.render({ values: { peerPods: { runtimeClassName: 'kata-remote-2' } } }),
    ).webhooks!;
    expect(webhook!.matchConditions).toEqual([
      {
        name: 'peer-pod-runtime-class',
        expression: "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'kata-remote-2'",
      },
    ]);
  });
});

describe('RBAC', () => {
  it('grants the backend exactly its cluster-wide needs, without wildcards or Secrets', async () => {
    const role = findOne(await chart.render(), 'ClusterRole') as unknown as V1ClusterRole;
    const grants = role.rules!.flatMap((rule) =>
      rule.resources!.map(
        (resource) => `${rule.apiGroups![0] || 'core'}/${resource}: ${[...rule.verbs].sort().join(',')}`,
      ),
    );
    expect(grants.sort()).toEqual(
      [
        'core/nodes: get,list,watch',
        'core/pods: get,list,watch',
        'core/nodes/status: patch',
        'core/events: create,get,list,patch',
        'confidentialcontainers.org/peerpodconfigs: get,list,watch',
        'confidentialcontainers.org/peerpods: get,list,watch',
        'authentication.k8s.io/tokenreviews: create',
        'authorization.k8s.io/subjectaccessreviews: create',
        'node.k8s.io/runtimeclasses: get,list,watch',
        'admissionregistration.k8s.io/mutatingwebhookconfigurations: get,list,watch',
        'admissionregistration.k8s.io/validatingadmissionpolicies: get,list,watch',
        'admissionregistration.k8s.io/validatingadmissionpolicybindings: get,list,watch',
        'config.openshift.io/infrastructures: get,list,watch',
        'config.openshift.io/apiservers: get',
      ].sort(),
    );
  });

  it('reads only the named Secret and ConfigMap, in the PeerPodConfig namespace', async () => {
    const objects = await chart.render({
      values: { peerPodConfig: { cloudSecretName: 'my-secret', configMapName: 'my-cm' } },
    });
    const role = findOne(objects, 'Role', `${FULLNAME}-peerpodconfig`) as unknown as V1Role;
    expect(role.metadata!.namespace).toBe('openshift-sandboxed-containers-operator');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['my-secret'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-cm'], verbs: ['get'] },
    ]);
  });

  it('keeps the leader-election Lease in the release namespace', async () => {
    const role = findOne(await chart.render(), 'Role', `${FULLNAME}-leader-election`) as unknown as V1Role;
    expect(role.metadata!.namespace).toBe(NS);
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
  });
});

describe('availability and network', () => {
  it('keeps one replica through voluntary disruptions', async () => {
    const pdb = findOne(await chart.render(), 'PodDisruptionBudget') as unknown as V1PodDisruptionBudget;
    expect(pdb.spec!.minAvailable).toBe(1);
  });

  it('admits only the console to 9001, the monitoring namespaces and the host network (probes) to 9444, and anyone (the API server) to 9443, with egress open by default', async () => {
    const policy = findOne(await chart.render(), 'NetworkPolicy') as unknown as V1NetworkPolicy;
    expect(policy.spec!.policyTypes).toEqual(['Ingress']);
    const namespace = (name: string) => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
    });
    const hostNetwork = {
      namespaceSelector: { matchLabels: { 'policy-group.network.openshift.io/host-network': '' } },
    };
    // the YAML field is `from`; the client library's type calls it `_from`
    expect(policy.spec!.ingress as unknown).toEqual([
      { from: [namespace('openshift-console')], ports: [{ port: 9001, protocol: 'TCP' }] },
      {
        from: [namespace('openshift-monitoring'), namespace('openshift-user-workload-monitoring'), hostNetwork],
        ports: [{ port: 9444, protocol: 'TCP' }],
      },
      { ports: [{ port: 9443, protocol: 'TCP' }] },
    ]);
  });

  it('closes the health/metrics port instead of opening it to all when no source is allowed', async () => {
    const values = { networkPolicy: { metricsNamespaces: [], allowHostNetwork: false } };
    const policy = findOne(await chart.render({ values }), 'NetworkPolicy') as unknown as V1NetworkPolicy;
    const rules = policy.spec!.ingress! as unknown as { from?: unknown[]; ports: { port: number }[] }[];
    expect(rules.map((rule) => rule.ports.map((p) => p.port))).toEqual([[9001], [9443]]);
  });

  it('restricts egress to DNS, 443, 6443 and its own webhook when asked', async () => {
    const policy = findOne(
      await chart.render({ values: VARIANTS['restricted egress'] }),
      'NetworkPolicy',
    ) as unknown as V1NetworkPolicy;
    expect(policy.spec!.policyTypes).toEqual(['Ingress', 'Egress']);
    const ports = policy.spec!.egress!.flatMap((rule) => rule.ports!.map((p) => `${p.protocol}/${p.port}`));
    expect(ports.sort()).toEqual(['TCP/443', 'TCP/53', 'TCP/5353', 'TCP/6443', 'TCP/9443', 'UDP/53', 'UDP/5353']);
    // 9443 only to its own pods: the setup checklist calls its own webhook through the Service.
    const webhook = policy.spec!.egress!.find((rule) => rule.ports!.some((p) => p.port === 9443))!;
    expect(webhook.to).toEqual([{ podSelector: { matchLabels: policy.spec!.podSelector!.matchLabels } }]);
  });
});

describe('enable-plugin Job', () => {
  it('is off by default', async () => {
    expect(findAll(await chart.render(), 'Job')).toEqual([]);
  });

  it('runs as a hook with its own ServiceAccount, allowed only to get and patch consoles/cluster', async () => {
    const objects = await chart.render({ values: VARIANTS['enable-plugin job'] });
    const hooks = objects.filter(isHook).map((o) => `${o.kind}/${o.metadata!.name}`);
    const name = `${FULLNAME}-enable-plugin`;
    expect(hooks.sort()).toEqual([
      `ClusterRole/${name}`,
      `ClusterRoleBinding/${name}`,
      `ConfigMap/${name}`,
      `Job/${name}`,
      `ServiceAccount/${name}`,
    ]);
    const role = findOne(objects, 'ClusterRole', name) as unknown as V1ClusterRole;
    expect(role.rules).toEqual([
      {
        apiGroups: ['operator.openshift.io'],
        resources: ['consoles'],
        resourceNames: ['cluster'],
        verbs: ['get', 'patch'],
      },
    ]);
    const job = findOne(objects, 'Job') as unknown as V1Job;
    expect(job.metadata!.annotations!['helm.sh/hook']).toBe('post-install,post-upgrade');
    const pod = job.spec!.template.spec!;
    expect(pod.serviceAccountName).toBe(name);
    const [container] = pod.containers;
    expect(container!.image).toBe(backendContainer(objects).image);
    expect(container!.securityContext).toEqual(backendContainer(objects).securityContext);
    expect(container!.env).toContainEqual({ name: 'PLUGIN_NAME', value: pluginName });
    const script = findOne(objects, 'ConfigMap', name) as { data: Record<string, string> } & Manifest;
    expect(script.data['enable-plugin.mjs']).toBe(readFileSync(join(CHART_DIR, 'files', 'enable-plugin.mjs'), 'utf8'));
  });
});

describe('image', () => {
  it('defaults to the internal registry of the release namespace at the chart appVersion, the package version', async () => {
    const { appVersion } = load(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    expect(appVersion).toBe(packageVersion);
    expect(backendContainer(await chart.render()).image).toBe(
      `image-registry.openshift-image-registry.svc:5000/${NS}/peer-pods-console:${appVersion}`,
    );
  });

  it('prefers a digest over the tag', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const container = backendContainer(
      await chart.render({ values: { image: { repository: 'quay.example.com/ppc/backend', tag: '1.2.3', digest } } }),
    );
    expect(container.image).toBe(`quay.example.com/ppc/backend@${digest}`);
  });
});

describe('bad values fail at install with a message naming the value', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'an unknown CA source',
      { webhook: { caSource: 'vault' } },
      /\/webhook\/caSource': value must be one of 'service-ca', 'cert-manager', 'manual'/,
    ],
    [
      'cert-manager without an issuer',
      { webhook: { caSource: 'cert-manager' } },
      /\/webhook\/certManager\/issuerRef\/name': minLength/,
    ],
    [
      'manual without a Secret or CA bundle',
      { webhook: { caSource: 'manual' } },
      // helm lists schema errors in map order, which varies from run to run: match both, in any order.
      /^(?=[\s\S]*\/webhook\/manual\/caBundle': minLength)(?=[\s\S]*\/webhook\/manual\/secretName': minLength)/,
    ],
    [
      'a CA bundle that is not base64 PEM',
      { webhook: { caSource: 'manual', manual: { secretName: 's', caBundle: 'not-a-pem' } } },
      /\/webhook\/manual\/caBundle': '.*' does not match pattern/,
    ],
    [
      'an unknown log level',
      { backend: { logLevel: 'verbose' } },
      /\/backend\/logLevel': value must be one of 'fatal'/,
    ],
    ['a port out of range', { backend: { port: 70000 } }, /\/backend\/port': maximum: got 70,000, want 65,535/],
    ['a misspelt key', { webhok: { enabled: false } }, /additional properties 'webhok' not allowed/],
    ['a string where a number belongs', { replicaCount: 'two' }, /\/replicaCount': got string, want integer/],
    [
      'two replicas without leader election',
      { leaderElection: { enabled: false } },
      /\/replicaCount': maximum: got 2, want 1/,
    ],
    [
      'a namespace that is not a DNS label',
      { peerPodConfig: { namespace: 'My_Namespace' } },
      /\/peerPodConfig\/namespace': '.*' does not match pattern/,
    ],
    [
      'a base path without the trailing slash',
      { backend: { basePath: '/backend' } },
      /\/backend\/basePath': '\/backend' does not match pattern/,
    ],
    [
      'extraEnv overriding a chart-managed variable',
      { backend: { extraEnv: [{ name: 'LEADER_ELECTION', value: 'false' }] } },
      /\/backend\/extraEnv\/0\/name': 'not' failed/,
    ],
    [
      'no console namespace (an empty list would admit everyone)',
      { networkPolicy: { consoleNamespaces: [] } },
      /\/networkPolicy\/consoleNamespaces': minItems: got 0, want 1/,
    ],
    [
      'a webhook timeout over 30 s',
      { webhook: { timeoutSeconds: 60 } },
      /\/webhook\/timeoutSeconds': maximum: got 60, want 30/,
    ],
    ['the "latest" image tag', { image: { tag: 'latest' } }, /image\.tag: "latest" is not allowed/],
    ['the webhook on the API port', { webhook: { port: 9001 } }, /webhook\.port and backend\.port are both 9001/],
    [
      'health and metrics on the API port',
      { backend: { metricsPort: 9001 } },
      /backend\.metricsPort and backend\.port are both 9001; health and metrics need a port the console's proxy does not reach/,
    ],
    [
      'the webhook on the health and metrics port',
      { webhook: { port: 9444 } },
      /webhook\.port and backend\.metricsPort are both 9444/,
    ],
  ];

  it.each(cases)('refuses %s', async (_what, values, message) => {
    expect(await chart.renderError({ values })).toMatch(message);
  });
});
