// The console translates extension strings written as "%<namespace>~<key>%" with i18next
// (namespace separator "~"); anything else is shown as written.
import type { TFunction } from 'i18next';

const TRANSLATABLE = /^%(.+)%$/;

export const translateExtensionLabel = (value: string | undefined, t: TFunction): string => {
  if (!value) return '';
  const match = TRANSLATABLE.exec(value);
  return match ? t(match[1]!) : value;
};
