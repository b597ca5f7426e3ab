// Prometheus metrics of the webhook. Registered on the registry the caller passes (or a private
// one), reusing metrics already there so that two servers can share one registry.
//
// Admissions are recorded on the hot path of every pod creation, so recording is a few array
// writes: prom-client's labelled observe() builds and hashes a label key per call (~1 µs, more
// than the rest of the server's bookkeeping together). The admissions counter is a prom-client
// Counter that catches up from those arrays when it is collected; the duration histogram is a
// small metric of its own that prom-client's Registry renders exactly as it renders a Histogram
// (same name, labels, buckets and text).

import { Counter, type Histogram, type Registry } from 'prom-client';
import type { AdmissionOutcome } from './review.ts';

export const ADMISSION_OUTCOMES: readonly AdmissionOutcome[] = [
  'mutated',
  'unchanged',
  'not-peer-pod',
  'excluded-namespace',
  'ignored-operation',
  'rejected',
  'bad-request',
];

export const ADMISSIONS_METRIC = 'peerpods_webhook_admissions_total';
export const ADMISSION_DURATION_METRIC = 'peerpods_webhook_admission_duration_seconds';
export const ADMISSION_DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

export interface WebhookMetrics {
  /** counts one answered admission and its duration */
  recordAdmission(outcome: AdmissionOutcome, seconds: number): void;
  admissions: Counter<'outcome'>;
  admissionDuration: AdmissionDurationHistogram;
  certificateReloads: Counter<'result'>;
}

/** The value objects prom-client's Registry reads from a metric's get(). */
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/**
 * peerpods_webhook_admission_duration_seconds{outcome}: what prom-client's Histogram exposes
 * (cumulative le buckets, +Inf, _sum, _count, for every outcome seen), recorded into arrays.
 */
export class AdmissionDurationHistogram {
  readonly name = ADMISSION_DURATION_METRIC;
  readonly help = 'Time from receiving an admission request to sending its answer, by outcome';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** per outcome: observations per bucket (not cumulative), the last slot above every bound */
  private readonly buckets = new Float64Array(ADMISSION_OUTCOMES.length * (ADMISSION_DURATION_BUCKETS.length + 1));
  private readonly sums = new Float64Array(ADMISSION_OUTCOMES.length);
  /** observations per outcome; also what the admissions counter counts */
  readonly counts = new Float64Array(ADMISSION_OUTCOMES.length);

  observe(outcome: number, seconds: number): void {
    let bucket = 0;
    while (bucket < ADMISSION_DURATION_BUCKETS.length && seconds > ADMISSION_DURATION_BUCKETS[bucket]!) bucket++;
    this.buckets[outcome * (ADMISSION_DURATION_BUCKETS.length + 1) + bucket]!++;
    this.sums[outcome]! += seconds;
    this.counts[outcome]!++;
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    const stride = ADMISSION_DURATION_BUCKETS.length + 1;
    ADMISSION_OUTCOMES.forEach((outcome, index) => {
      if (this.counts[index] === 0) return;
      let cumulative = 0;
      ADMISSION_DURATION_BUCKETS.forEach((bound, bucket) => {
        cumulative += this.buckets[index * stride + bucket]!;
        values.push({ labels: { le: bound, outcome }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', outcome }, value: this.counts[index]!, metricName: `${this.name}_bucket` });
      values.push({ labels: { outcome }, value: this.sums[index]!, metricName: `${this.name}_sum` });
      values.push({ labels: { outcome }, value: this.counts[index]!, metricName: `${this.name}_count` });
    });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.buckets.fill(0);
    this.sums.fill(0);
    this.counts.fill(0);
  }
}

function existingOr<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function webhookMetrics(registry: Registry): WebhookMetrics {
  const registers = [registry];
  const registered = registry.getSingleMetric(ADMISSION_DURATION_METRIC);
  if (registered !== undefined && !((registered as unknown) instanceof AdmissionDurationHistogram)) {
    throw new Error(`${ADMISSION_DURATION_METRIC} is already registered by something other than the webhook`);
  }
  const admissionDuration = existingOr(registry, ADMISSION_DURATION_METRIC, () => {
    const histogram = new AdmissionDurationHistogram();
    // The Registry needs only name, help, type, aggregator and get(); prom-client types it as its own classes.
    registry.registerMetric(histogram as unknown as Histogram);
    return histogram;
  });
  const admissions = existingOr(registry, ADMISSIONS_METRIC, () => {
    const counted = new Float64Array(ADMISSION_OUTCOMES.length);
    return new Counter({
      name: ADMISSIONS_METRIC,
      help: 'Admission requests answered by the peer-pods webhook, by outcome',
      labelNames: ['outcome'],
      registers,
      // Catches up with the admissions recorded since the last collection.
      collect() {
        ADMISSION_OUTCOMES.forEach((outcome, index) => {
          const delta = admissionDuration.counts[index]! - counted[index]!;
          if (delta > 0) this.inc({ outcome }, delta);
          counted[index] = admissionDuration.counts[index]!;
        });
      },
    });
  });
  const outcomeIndex = new Map(ADMISSION_OUTCOMES.map((outcome, index) => [outcome, index]));
  return {
    recordAdmission: (outcome, seconds) => admissionDuration.observe(outcomeIndex.get(outcome)!, seconds),
    admissions,
    admissionDuration,
    certificateReloads: existingOr(
      registry,
      'peerpods_webhook_certificate_reloads_total',
      () =>
        new Counter({
          name: 'peerpods_webhook_certificate_reloads_total',
          help: 'Serving-certificate reloads from disk, by result (loaded or failed)',
          labelNames: ['result'],
          registers,
        }),
    ),
  };
}
