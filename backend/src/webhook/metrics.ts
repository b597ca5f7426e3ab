// Prometheus metrics of the webhook. Registered on the registry the caller passes (or a private
// one), reusing metrics already there so that two servers can share one registry.

import { Counter, Histogram, type Registry } from 'prom-client';
import type { AdmissionOutcome } from './review.ts';

export interface WebhookMetrics {
  admissions: Counter<'outcome'>;
  admissionDuration: Histogram<'outcome'>;
  certificateReloads: Counter<'result'>;
}

function existingOr<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function webhookMetrics(registry: Registry): WebhookMetrics {
  const registers = [registry];
  return {
    admissions: existingOr(
      registry,
      'peerpods_webhook_admissions_total',
      () =>
        new Counter({
          name: 'peerpods_webhook_admissions_total',
          help: 'Admission requests answered by the peer-pods webhook, by outcome',
          labelNames: ['outcome'],
          registers,
        }),
    ),
    admissionDuration: existingOr(
      registry,
      'peerpods_webhook_admission_duration_seconds',
      () =>
        new Histogram({
          name: 'peerpods_webhook_admission_duration_seconds',
          help: 'Time from receiving an admission request to sending its answer, by outcome',
          labelNames: ['outcome'],
          buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
          registers,
        }),
    ),
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

export const ADMISSION_OUTCOMES: readonly AdmissionOutcome[] = [
  'mutated',
  'unchanged',
  'not-peer-pod',
  'excluded-namespace',
  'ignored-operation',
  'rejected',
  'bad-request',
];
