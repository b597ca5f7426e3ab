import { useState } from 'react';

export type LimitSave<V, R> = {
  /** The value being written, while the write is in flight. */
  saving: { value: V } | undefined;
  /** The value last written and the backend's answer; from then on the dialog follows the nodes instead of editing. */
  saved: { value: V; result: R } | undefined;
  /** The API server's refusal of the last write; cleared when the next one starts. */
  error: unknown;
  save: (value: V) => Promise<void>;
};

/** The write of a limit dialog, made as the signed-in user: what is in flight, what was saved, why it was not. */
export const useLimitSave = <V, R>(write: (value: V) => Promise<R>): LimitSave<V, R> => {
  const [saving, setSaving] = useState<{ value: V }>();
  const [saved, setSaved] = useState<{ value: V; result: R }>();
  const [error, setError] = useState<unknown>();

  const save = async (value: V) => {
    setSaving({ value });
    setError(undefined);
    try {
      const result = await write(value);
      setSaved({ value, result });
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(undefined);
    }
  };

  return { saving, saved, error, save };
};
