// Runs the checks concurrently, each bounded by its own deadline: the checklist answers within
// that deadline whatever one slow check (a cloud API, a webhook that hangs) does. A check that
// runs late is a warning "could not check in time"; one that throws is a warning with the error.
import type { SetupCheck } from '@peer-pods-console/contract';
import type { SetupCheckId } from '@peer-pods-console/contract/setup-checks';
import { warning, type CheckOutcome } from './outcome.ts';

export interface SetupCheckTask {
  id: SetupCheckId;
  run: () => CheckOutcome | Promise<CheckOutcome>;
}

const MAX_ERROR_LENGTH = 300;

/** The error text a check reports; Kubernetes and cloud errors here carry no secret values. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export async function runChecks(tasks: readonly SetupCheckTask[], timeoutMs: number): Promise<SetupCheck[]> {
  return Promise.all(
    tasks.map(async ({ id, run }): Promise<SetupCheck> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<CheckOutcome>((resolve) => {
        timer = setTimeout(
          () => resolve(warning('checkTimedOut', { seconds: Number((timeoutMs / 1000).toFixed(1)) })),
          timeoutMs,
        );
        timer.unref();
      });
      let outcome: CheckOutcome;
      try {
        outcome = await Promise.race([Promise.resolve().then(run), late]);
      } catch (err) {
        outcome = warning('checkFailed', { error: errorText(err) });
      } finally {
        clearTimeout(timer);
      }
      return { id, ...outcome, durationMs: Math.round(performance.now() - started) };
    }),
  );
}
