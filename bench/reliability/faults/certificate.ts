// Fault scenario: the serving certificate rotated under load. While autocannon sends
// AdmissionReviews straight to the webhook and 8 clients create peer pods through the API server
// (which calls the webhook), the certificate and key are replaced 6 times the way a Secret volume
// does it (atomic symlink swap) and once clumsily (certificate rewritten in place, key 300 ms
// later). Not one admission may fail, and both the webhook and the API port must serve each new
// certificate.
import autocannon from 'autocannon';
import { admissionReview, peerPodWithSidecars } from '../../../backend/src/webhook/test/fixtures.ts';
import { listPods } from '../cluster.ts';
import { backendMetrics, log, metricValue, seconds, servedFingerprint, sleep, summary, waitUntil } from '../harness.ts';
import { mutationProblems, userPeerPod } from '../pods.ts';
import { startScenario } from '../scenario.ts';
import type { ScenarioResult } from './result.ts';

const WEBHOOK_NAME = 'mutate-pod.peerpods-console.io';

export async function certificateRotatedUnderLoad(): Promise<ScenarioResult> {
  const NAMESPACE = 'rotation';
  const scenario = await startScenario({
    name: 'rotation',
    scheduler: false,
    nodes: { count: 2, prefix: 'rot-' },
    limit: 10,
    namespaces: [NAMESPACE],
    client: { maxSockets: 16, requestTimeoutMs: 15_000 },
    webhook: 'registered',
  });
  try {
    const { client, ca, volume } = scenario;
    const backend = await scenario.startBackend();
    const apiServerMetrics = () => client.request<string>({ method: 'GET', path: '/metrics', responseType: 'text' });
    const rejectionsBefore = metricValue(await apiServerMetrics(), 'apiserver_admission_webhook_rejection_count', {
      name: WEBHOOK_NAME,
    });

    // Load 1: pod creates through the API server, until told to stop.
    let stopping = false;
    let created = 0;
    const failures: string[] = [];
    const createLatencies: number[] = [];
    let index = 0;
    const creators = Array.from({ length: 8 }, async () => {
      while (!stopping) {
        const i = index++;
        const t0 = performance.now();
        try {
          await client.request({
            method: 'POST',
            path: `/api/v1/namespaces/${NAMESPACE}/pods`,
            body: userPeerPod(`rot-${String(i).padStart(5, '0')}`, NAMESPACE, i),
            responseType: 'none',
          });
          created++;
          createLatencies.push(performance.now() - t0);
        } catch (err) {
          failures.push((err as Error).message.slice(0, 300));
        }
      }
    });
    // Load 2: AdmissionReviews straight to the webhook on 16 keep-alive connections.
    const review = JSON.stringify(admissionReview(peerPodWithSidecars(), { uid: 'rotation-0001' }));
    const DURATION = 45;
    const cannon = autocannon({
      url: `${backend.webhookUrl}/mutate-v1-pod?timeout=10s`,
      method: 'POST',
      connections: 16,
      duration: DURATION,
      headers: { 'content-type': 'application/json' },
      body: review,
      tlsOptions: { ca },
    } as autocannon.Options);

    // The rotations.
    const rotations: Record<string, unknown>[] = [];
    const rotate = async (how: 'atomic swap' | 'rewritten in place, key 300 ms later') => {
      const t0 = Date.now();
      const fingerprint = how === 'atomic swap' ? await volume.swap() : await volume.rewriteInPlace(300);
      const webhookAt = await waitUntil(
        'the webhook to serve the new certificate',
        async () => ((await servedFingerprint(backend.webhookUrl!, ca)) === fingerprint ? Date.now() : undefined),
        30_000,
        20,
      );
      const apiAt = await waitUntil(
        'the API port to serve the new certificate',
        async () => ((await servedFingerprint(backend.url, ca)) === fingerprint ? Date.now() : undefined),
        30_000,
        50,
      );
      rotations.push({
        how,
        webhookServesItAfterSeconds: seconds(webhookAt - t0),
        apiPortServesItAfterSeconds: seconds(apiAt - t0),
      });
      log(`rotation (${how}): webhook ${seconds(webhookAt - t0)} s, API port ${seconds(apiAt - t0)} s`);
    };
    await sleep(3000);
    for (let r = 0; r < 3; r++) {
      await rotate('atomic swap');
      await sleep(3000);
    }
    await rotate('rewritten in place, key 300 ms later');
    await sleep(3000);
    for (let r = 0; r < 3; r++) {
      await rotate('atomic swap');
      await sleep(2000);
    }
    const cannonResult = await cannon;
    stopping = true;
    await Promise.all(creators);

    const reloads = await backendMetrics(backend, ca);
    const rejections =
      metricValue(await apiServerMetrics(), 'apiserver_admission_webhook_rejection_count', { name: WEBHOOK_NAME }) -
      rejectionsBefore;
    const pods = await listPods(client, NAMESPACE);
    const wrong = pods.filter((p) => mutationProblems(p, Number(p.metadata.name.slice(4))).length > 0);
    const cannonFailures = cannonResult.errors + cannonResult.timeouts + cannonResult.non2xx;
    const result: ScenarioResult = {
      scenario: 'certificate-rotated-under-load',
      what: `serving certificate and key replaced 7 times in ${DURATION} s (6 atomic Secret-volume swaps, 1 rewrite in place with the key 300 ms late) under ${Math.round(cannonResult.requests.average)} AdmissionReviews/s and 8 pod-creating clients`,
      observed: `${cannonResult.requests.total} direct admissions and ${created} pod creates through the API server: ${cannonFailures} and ${failures.length} failed; the half-written pair was refused and the old one kept until the key arrived`,
      timeToRecoverSeconds: Math.max(...rotations.map((r) => r.apiPortServesItAfterSeconds as number)),
      nothingLost:
        cannonFailures === 0 &&
        failures.length === 0 &&
        rejections === 0 &&
        wrong.length === 0 &&
        pods.length === created,
      details: {
        rotations,
        autocannon: {
          requests: cannonResult.requests.total,
          perSecond: Math.round(cannonResult.requests.average),
          errors: cannonResult.errors,
          timeouts: cannonResult.timeouts,
          non2xx: cannonResult.non2xx,
          latencyP99Ms: cannonResult.latency.p99,
          latencyMaxMs: cannonResult.latency.max,
        },
        podCreates: {
          created,
          failed: failures.length,
          firstFailures: failures.slice(0, 5),
          latencyMs: summary(createLatencies),
        },
        apiServerWebhookRejections: rejections,
        storedPodsNotMutatedExactlyOnce: wrong.length,
        webhookCertificateReloads: {
          loaded: metricValue(reloads, 'peerpods_webhook_certificate_reloads_total', { result: 'loaded' }),
          failed: metricValue(reloads, 'peerpods_webhook_certificate_reloads_total', { result: 'failed' }),
        },
        note: 'the API port re-reads its files on a 10 s timer as well as on change events; the webhook on change events',
      },
    };
    return result;
  } finally {
    await scenario.stop();
  }
}
