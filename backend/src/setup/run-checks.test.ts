import { describe, expect, it } from 'vitest';
import { pass } from './outcome.ts';
import { runChecks } from './run-checks.ts';

describe('runChecks', () => {
  it('runs the checks concurrently and stamps each with its id and duration', async () => {
    // Each check waits until both have started: run one after the other, neither would finish
    // before the (generous) deadline, and both would come back "could not check in time".
    let started = 0;
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    const meet = async () => {
      if (++started === 2) bothStarted();
      await barrier;
    };
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const checks = await runChecks(
      [
        { id: 'platform', run: async () => (await meet(), await wait(150), pass('platformAws', { region: 'r' })) },
        { id: 'ports', run: async () => (await meet(), pass('portsOpen', { rules: 'TCP 15150' })) },
      ],
      60_000,
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['platform', 'pass'],
      ['ports', 'pass'],
    ]);
    // A lower bound only: a timer never fires early, a busy machine only makes it longer.
    expect(checks[0]!.durationMs).toBeGreaterThanOrEqual(140);
  });

  it('answers "could not check in time" for a check that outlives the deadline', async () => {
    // A check that never answers: without the deadline this test would never end.
    const [check] = await runChecks([{ id: 'ports', run: () => new Promise(() => {}) }], 100);
    expect(check).toMatchObject({
      id: 'ports',
      status: 'warning',
      found: {
        key: 'checkTimedOut',
        message: 'Could not check in time: no answer within 0.1 s. Refresh to try again.',
      },
      fix: null,
    });
  });

  it('turns a check that throws into a warning carrying the error', async () => {
    const [check] = await runChecks(
      [
        {
          id: 'runtime-class',
          run: () => {
            throw new Error('GET /apis/node.k8s.io/v1/runtimeclasses/kata-remote: 403 forbidden');
          },
        },
      ],
      100,
    );
    expect(check).toMatchObject({
      status: 'warning',
      found: { message: 'Could not check: GET /apis/node.k8s.io/v1/runtimeclasses/kata-remote: 403 forbidden' },
    });
  });
});
