// Calls a webhook the way the API server does: HTTPS POST of an AdmissionReview to its URL,
// trusting only the configuration's CA bundle. The review is a dry-run CREATE of a pod that is
// not a peer pod, which any peer-pods webhook allows unchanged, so probing changes nothing.
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import type { WebhookProbe } from './checks/webhook.ts';

export async function probeWebhook(url: string, caBundlePem: string, timeoutMs: number): Promise<WebhookProbe> {
  const uid = randomUUID();
  const body = JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'default',
      operation: 'CREATE',
      dryRun: true,
      userInfo: { username: 'system:serviceaccount:peer-pods-console:setup-check' },
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'peer-pods-console-setup-probe', namespace: 'default' },
        spec: { containers: [{ name: 'probe', image: 'probe' }] },
      },
    },
  });
  const started = performance.now();
  return new Promise<WebhookProbe>((resolve) => {
    const req = request(
      `${url}${url.includes('?') ? '&' : '?'}timeout=${Math.max(1, Math.round(timeoutMs / 1000))}s`,
      {
        method: 'POST',
        ca: caBundlePem,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 64 * 1024) text += chunk;
        });
        res.on('end', () => {
          const ms = Math.round(performance.now() - started);
          if (res.statusCode !== 200) {
            resolve({ ok: false, error: `it answered HTTP ${res.statusCode}` });
            return;
          }
          try {
            const review = JSON.parse(text) as { response?: { uid?: string; allowed?: boolean } };
            if (review.response?.uid === uid && typeof review.response.allowed === 'boolean') resolve({ ok: true, ms });
            else resolve({ ok: false, error: 'its answer is not an AdmissionReview response for the request sent' });
          } catch {
            resolve({ ok: false, error: 'its answer is not JSON' });
          }
        });
        res.on('error', (err) => resolve({ ok: false, error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, error: err.message }));
    req.end(body);
  });
}
