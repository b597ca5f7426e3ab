import { useState } from 'react';

export type LimitSave<V> = {
  /** The value being written, while the write is in flight. */
  saving: { value: V } | undefined;
  /** The value last written; from then on the dialog follows the nodes instead of editing. */
  saved: { value: V } | undefined;
  /** The API server's refusal of the last write; cleared when the next one starts. */
  error: unknown;
  save: (value: V) => Promise<void>;
};

/** The write of a limit dialog, made as the signed-in user: what is in flight, what was saved, why it was not. */
export const useLimitSave = <V>(write: (value: V) => Promise<unknown>): LimitSave<V> => {
  const [saving, setSaving] = useState<{ value: V }>();
  const [saved, setSaved] = useState<{ value: V }>();
  const [error, setError] = useState<unknown>();

  const save = async (value: V) => {
    setSaving({ value });
    setError(undefined);
    try {
      await write(value);
      setSaved({ value });
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(undefined);
    }
  };

  return { saving, saved, error, save };
};
