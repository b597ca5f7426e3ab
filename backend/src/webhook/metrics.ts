// Prometheus metrics of the webhook, as prom-client Counters and a Histogram. Registered on the
// registry the caller passes (or a private one), reusing metrics already there so that two servers
// can share one registry.

import { Counter, Histogram, type CounterConfiguration, type HistogramConfiguration, type Registry } from 'prom-client';
import type { AdmissionOutcome } from './review.ts';

export const ADMISSIONS_METRIC = 'peerpods_webhook_admissions_total';
export const ADMISSION_DURATION_METRIC = 'peerpods_webhook_admission_duration_seconds';
export const CERTIFICATE_RELOADS_METRIC = 'peerpods_webhook_certificate_reloads_total';
export const ADMISSION_DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

export interface WebhookMetrics {
  /** counts one answered admission and its duration */
  recordAdmission(outcome: AdmissionOutcome, seconds: number): void;
  admissions: Counter<'outcome'>;
  admissionDuration: Histogram<'outcome'>;
  certificateReloads: Counter<'result'>;
}

function alreadyRegistered(name: string): Error {
  return new Error(`${name} is already registered by something other than the webhook`);
}

/** The counter already registered under the configuration's name, or a new one. */
function counter<T extends string>(registry: Registry, configuration: CounterConfiguration<T>): Counter<T> {
  const existing = registry.getSingleMetric<T>(configuration.name);
  if (existing === undefined) return new Counter({ ...configuration, registers: [registry] });
  if (existing instanceof Counter) return existing;
  throw alreadyRegistered(configuration.name);
}

/** The histogram already registered under the configuration's name, or a new one. */
function histogram<T extends string>(registry: Registry, configuration: HistogramConfiguration<T>): Histogram<T> {
  const existing = registry.getSingleMetric<T>(configuration.name);
  if (existing === undefined) return new Histogram({ ...configuration, registers: [registry] });
  if (existing instanceof Histogram) return existing;
  throw alreadyRegistered(configuration.name);
}

export function webhookMetrics(registry: Registry): WebhookMetrics {
  const admissions = counter(registry, {
    name: ADMISSIONS_METRIC,
    help: 'Admission requests answered by the peer-pods webhook, by outcome',
    labelNames: ['outcome'],
  });
  const admissionDuration = histogram(registry, {
    name: ADMISSION_DURATION_METRIC,
    help: 'Time from receiving an admission request to sending its answer, by outcome',
    labelNames: ['outcome'],
    buckets: [...ADMISSION_DURATION_BUCKETS],
  });
  const certificateReloads = counter(registry, {
    name: CERTIFICATE_RELOADS_METRIC,
    help: 'Serving-certificate reloads from disk, by result (loaded or failed)',
    labelNames: ['result'],
  });
  return {
    recordAdmission(outcome, seconds) {
      admissions.inc({ outcome });
      admissionDuration.observe({ outcome }, seconds);
    },
    admissions,
    admissionDuration,
    certificateReloads,
  };
}
