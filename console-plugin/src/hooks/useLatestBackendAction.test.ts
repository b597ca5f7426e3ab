import { act, renderHook } from '@testing-library/react';

import { type BackendActionCall, useLatestBackendAction } from './useLatestBackendAction';

type State =
  { phase: 'idle' } | { phase: 'running'; n: number } | { phase: 'done'; answer: string } | { phase: 'failed' };

/** A backend call the test answers (or fails) when it chooses. */
const deferred = () => {
  let answer!: (value: string) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<string>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
};

const step = (
  n: number,
  promise: Promise<string>,
  finished?: BackendActionCall<State, string>['finished'],
): BackendActionCall<State, string> => ({
  running: { phase: 'running', n },
  call: () => promise,
  answered: (answer) => ({ phase: 'done', answer }),
  failed: () => ({ phase: 'failed' }),
  finished,
});

const renderAction = (onFinished = vi.fn()) => ({
  onFinished,
  ...renderHook(() => useLatestBackendAction<State>({ phase: 'idle' }, onFinished)),
});

describe('useLatestBackendAction', () => {
  it('shows the running state, then the answer', async () => {
    const { result } = renderAction();
    const backend = deferred();
    act(() => result.current.run(step(1, backend.promise)));
    expect(result.current.state).toEqual({ phase: 'running', n: 1 });
    await act(async () => backend.answer('ok'));
    expect(result.current.state).toEqual({ phase: 'done', answer: 'ok' });
  });

  it('shows a failure as the failed state', async () => {
    const { result } = renderAction();
    const backend = deferred();
    act(() => result.current.run(step(1, backend.promise)));
    await act(async () => backend.fail(new Error('refused')));
    expect(result.current.state).toEqual({ phase: 'failed' });
  });

  it('ignores the answer of a call that a later call superseded', async () => {
    const { result } = renderAction();
    const first = deferred();
    const second = deferred();
    act(() => result.current.run(step(1, first.promise)));
    act(() => result.current.run(step(2, second.promise)));
    await act(async () => first.answer('stale'));
    expect(result.current.state).toEqual({ phase: 'running', n: 2 });
    await act(async () => second.answer('fresh'));
    expect(result.current.state).toEqual({ phase: 'done', answer: 'fresh' });
  });

  it('goes back to idle on reset and ignores the call still in flight', async () => {
    const { result } = renderAction();
    const backend = deferred();
    act(() => result.current.run(step(1, backend.promise)));
    act(() => result.current.reset());
    await act(async () => backend.answer('late'));
    expect(result.current.state).toEqual({ phase: 'idle' });
  });

  it('calls onFinished only for calls that ask for it, and for "latest" only while still the latest', async () => {
    const { result, onFinished } = renderAction();
    const silent = deferred();
    act(() => result.current.run(step(1, silent.promise)));
    await act(async () => silent.answer('ok'));
    expect(onFinished).not.toHaveBeenCalled();

    const superseded = deferred();
    act(() => result.current.run(step(2, superseded.promise, 'latest')));
    act(() => result.current.reset());
    await act(async () => superseded.answer('late'));
    expect(onFinished).not.toHaveBeenCalled();

    const latest = deferred();
    act(() => result.current.run(step(3, latest.promise, 'latest')));
    await act(async () => latest.fail(new Error('refused')));
    expect(onFinished).toHaveBeenCalledTimes(1);
  });

  it('calls onFinished for an "always" call even after it was superseded or the component is gone', async () => {
    const { result, onFinished, unmount } = renderAction();
    const backend = deferred();
    act(() => result.current.run(step(1, backend.promise, 'always')));
    unmount();
    await act(async () => backend.answer('done'));
    expect(onFinished).toHaveBeenCalledTimes(1);
  });
});
