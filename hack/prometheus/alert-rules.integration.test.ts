// The chart's alert rules, checked by the real promtool and rendered by the real helm: the rule
// file is valid and behaves as hack/prometheus/alerts.rules.test.yaml specifies (every alert firing
// and not firing), the chart's PrometheusRule carries exactly the contract's alerts from that one
// file with the durations and severities of its values, and what it renders is a valid rule file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PEER_POD_ALERTS } from '@peer-pods-console/contract/operations';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIR, ChartRenderer, DEFAULT_NAMESPACE, findAll, findOne, REPO_ROOT } from '../helm/render.ts';
import { ensurePrometheus, runPromtool, type PrometheusBinaries } from './prometheus.ts';

const RULES_FILE = join(CHART_DIR, 'files', 'alerts.rules.yaml');
const RULES_TEST_FILE = join(REPO_ROOT, 'hack', 'prometheus', 'alerts.rules.test.yaml');

interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: AlertRule[] }[];
}
interface RulesTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}
type AlertValues = Record<string, { for: string; severity: string }>;

const ruleFile = load(readFileSync(RULES_FILE, 'utf8')) as RuleFile;
const rulesOf = (file: RuleFile) => file.groups.flatMap((g) => g.rules);
const chartValues = load(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
  metrics: { prometheusRule: { alerts: AlertValues } };
};

let binaries: PrometheusBinaries;
let chart: ChartRenderer;
let workDir: string;

beforeAll(async () => {
  [binaries, chart] = await Promise.all([
    ensurePrometheus((line) => console.log(line)),
    ChartRenderer.create((line) => console.log(line)),
  ]);
  workDir = mkdtempSync(join(tmpdir(), 'peerpods-alert-rules-'));
}, 20 * 60_000);

afterAll(() => {
  chart?.dispose();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function renderedRule(values: Record<string, unknown> = {}) {
  const objects = await chart.render({
    values: { metrics: { prometheusRule: { enabled: true } }, ...values },
  });
  return findOne(objects, 'PrometheusRule') as { spec: RuleFile; metadata: { namespace: string; labels: object } };
}

describe('the rule file', () => {
  it('defines exactly the contract’s alerts, each labelled for the console plugin, with a summary and a description', () => {
    const rules = rulesOf(ruleFile);
    expect(rules.map((r) => r.alert).sort()).toEqual([...PEER_POD_ALERTS].sort());
    for (const rule of rules) {
      expect(rule.labels, rule.alert).toMatchObject({ peerpods: 'true', severity: expect.any(String) });
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toBeTruthy();
    }
  });

  it('passes promtool check rules', async () => {
    const result = await runPromtool(binaries, ['check', 'rules', RULES_FILE]);
    expect(result.output).toContain('SUCCESS: 7 rules found');
    expect(result.code).toBe(0);
  });

  it('behaves as its promtool unit tests say', async () => {
    const result = await runPromtool(binaries, ['test', 'rules', RULES_TEST_FILE]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('has every alert tested both firing and not firing', () => {
    const cases = (load(readFileSync(RULES_TEST_FILE, 'utf8')) as RulesTestFile).tests.flatMap(
      (t) => t.alert_rule_test ?? [],
    );
    for (const alert of PEER_POD_ALERTS) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert} firing`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert} not firing`,
      ).toBe(true);
    }
  });

  it('holds the durations and severities of the chart’s default values, so the unit tests test what ships', () => {
    const values = chartValues.metrics.prometheusRule.alerts;
    expect(Object.keys(values).sort()).toEqual([...PEER_POD_ALERTS].sort());
    for (const rule of rulesOf(ruleFile)) {
      expect({ for: rule.for, severity: rule.labels.severity }, rule.alert).toEqual(values[rule.alert]);
    }
  });
});

describe('the chart’s PrometheusRule', () => {
  it('is not rendered by default', async () => {
    expect(findAll(await chart.render(), 'PrometheusRule')).toEqual([]);
  });

  it('carries the rule file’s alerts as they are, in the release namespace', async () => {
    const rule = await renderedRule();
    expect(rule.metadata.namespace).toBe(DEFAULT_NAMESPACE);
    expect(rule.spec).toEqual(ruleFile);
  });

  it('takes each alert’s duration and severity from the values, and its namespace and labels', async () => {
    const alerts: AlertValues = Object.fromEntries(PEER_POD_ALERTS.map((a) => [a, { for: '0s', severity: 'info' }]));
    alerts.PeerPodWebhookDown = { for: '2m', severity: 'critical' };
    const rule = await renderedRule({
      metrics: {
        prometheusRule: { enabled: true, namespace: 'monitoring-rules', additionalLabels: { role: 'alerts' }, alerts },
      },
    });
    expect(rule.metadata.namespace).toBe('monitoring-rules');
    expect(rule.metadata.labels).toMatchObject({ role: 'alerts' });
    for (const r of rulesOf(rule.spec)) {
      expect({ for: r.for, severity: r.labels.severity }, r.alert).toEqual(alerts[r.alert]);
      const original = rulesOf(ruleFile).find((o) => o.alert === r.alert)!;
      expect({ expr: r.expr, annotations: r.annotations }).toEqual({
        expr: original.expr,
        annotations: original.annotations,
      });
    }
  });

  it('leaves out the webhook’s alerts when the chart registers no webhook', async () => {
    const rule = await renderedRule({ webhook: { enabled: false } });
    expect(
      rulesOf(rule.spec)
        .map((r) => r.alert)
        .sort(),
    ).toEqual(PEER_POD_ALERTS.filter((a) => !a.startsWith('PeerPodWebhook')).sort());
  });

  it('renders rules promtool accepts', async () => {
    const file = join(workDir, 'rendered.rules.yaml');
    writeFileSync(file, dump((await renderedRule()).spec));
    const result = await runPromtool(binaries, ['check', 'rules', file]);
    expect(result.output).toContain('SUCCESS: 7 rules found');
  });

  it('passes helm lint --strict with monitoring enabled', async () => {
    const result = await chart.lint({
      strict: true,
      values: { metrics: { serviceMonitor: { enabled: true }, prometheusRule: { enabled: true } } },
    });
    expect(result.stdout + result.stderr).toContain('0 chart(s) failed');
    expect(result.code).toBe(0);
  });

  it('refuses a severity or a duration Prometheus would not take, naming the value', async () => {
    const severity = await chart.renderError({
      values: { metrics: { prometheusRule: { enabled: true, alerts: { PeerPodsStuck: { severity: 'urgent' } } } } },
    });
    expect(severity).toContain('/metrics/prometheusRule/alerts/PeerPodsStuck/severity');
    const duration = await chart.renderError({
      values: { metrics: { prometheusRule: { enabled: true, alerts: { PeerPodOrphanVms: { for: '10 minutes' } } } } },
    });
    expect(duration).toContain('/metrics/prometheusRule/alerts/PeerPodOrphanVms/for');
  });
});
