// What one check answers, before the runner stamps it with its id and duration: a status, what
// was found (a sentence of SETUP_TEXT with its values) and the fix (a UI action or a command).
import type { SetupCheckStatus, SetupFinding, SetupFix } from '@peer-pods-console/contract';
import {
  renderSetupText,
  SETUP_TEXT,
  type SetupAction,
  type SetupTextKey,
  type SetupTextValues,
} from '@peer-pods-console/contract/setup-checks';

export interface CheckOutcome {
  status: SetupCheckStatus;
  found: SetupFinding;
  fix: SetupFix | null;
}

export function finding(key: SetupTextKey, values: SetupTextValues = {}): SetupFinding {
  return { key, values, message: renderSetupText(SETUP_TEXT[key], values) };
}

export function action(name: SetupAction): SetupFix {
  return { kind: 'action', action: name };
}

export function command(text: string): SetupFix {
  return { kind: 'command', command: text };
}

export function pass(key: SetupTextKey, values: SetupTextValues = {}, fix: SetupFix | null = null): CheckOutcome {
  return { status: 'pass', found: finding(key, values), fix };
}

export function warning(key: SetupTextKey, values: SetupTextValues = {}, fix: SetupFix | null = null): CheckOutcome {
  return { status: 'warning', found: finding(key, values), fix };
}

export function fail(key: SetupTextKey, values: SetupTextValues = {}, fix: SetupFix | null = null): CheckOutcome {
  return { status: 'fail', found: finding(key, values), fix };
}

/** "a, b, c", or "a, b, c, d, e (+4)" when the list is long: a sentence of a check stays short. */
export function listOf(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} (+${items.length - max})`;
}

/** A label selector as `oc` writes it: `k=v,k2=` (an empty value keeps its `=`). */
export function selectorText(selector: Readonly<Record<string, string>>): string {
  const entries = Object.entries(selector);
  return entries.length === 0 ? '{}' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** Single-quotes a JSON document for a POSIX shell (`'…'`, with embedded quotes escaped). */
export function shellQuoteJson(value: unknown): string {
  return `'${JSON.stringify(value).replace(/'/g, `'\\''`)}'`;
}
