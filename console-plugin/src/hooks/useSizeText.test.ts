import { renderHook } from '@testing-library/react';

import { memoryAmount, useSizeText } from './useSizeText';

const sizeText = () => renderHook(() => useSizeText()).result.current;

describe('VM size text', () => {
  it('writes memory in GiB from 1 GiB up, with at most one decimal, and in MiB below', () => {
    expect(memoryAmount(8192)).toEqual({ amount: 8, unit: 'GiB' });
    expect(memoryAmount(3840)).toEqual({ amount: 3.8, unit: 'GiB' });
    expect(memoryAmount(512)).toEqual({ amount: 512, unit: 'MiB' });
    expect(sizeText().memory(1536)).toBe('1.5 GiB');
  });

  it('writes what a size holds, one vCPU in the singular, and its GPUs when it has any', () => {
    const { details } = sizeText();

    expect(details({ vcpus: 2, memoryMiB: 8192, gpus: 0 })).toBe('2 vCPUs · 8 GiB');
    expect(details({ vcpus: 1, memoryMiB: 512 })).toBe('1 vCPU · 512 MiB');
    expect(details({ vcpus: 48, memoryMiB: 196_608, gpus: 4 })).toBe('48 vCPUs · 192 GiB · 4 GPUs');
  });

  it('writes only the parts the cloud told, and nothing when it told none', () => {
    const { details } = sizeText();

    expect(details({ vcpus: null, memoryMiB: 8192 })).toBe('8 GiB');
    expect(details({ vcpus: 2, memoryMiB: null })).toBe('2 vCPUs');
    expect(details({ vcpus: null, memoryMiB: null })).toBe('');
  });
});
