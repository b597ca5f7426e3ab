// Setup reports as the backend answers them, built from the shared sentence catalogue.
import {
  renderSetupText,
  SETUP_TEXT,
  type SetupCheckId,
  type SetupTextKey,
  type SetupTextValues,
} from '@peer-pods-console/contract/setup-checks';

import type { SetupCheck, SetupReport } from '../../../api/backend';

export const check = (
  id: SetupCheckId,
  status: SetupCheck['status'],
  key: SetupTextKey,
  values: SetupTextValues = {},
  fix: SetupCheck['fix'] = null,
): SetupCheck => ({
  id,
  status,
  found: { key, values, message: renderSetupText(SETUP_TEXT[key], values) },
  fix,
  durationMs: 12,
});

export const setupReport = (checks: SetupCheck[], overrides: Partial<SetupReport> = {}): SetupReport => ({
  generatedAt: '2025-06-01T10:00:00.000Z',
  durationMs: 40,
  targetRuntimeClass: 'kata-remote',
  checks,
  peerPodNamespaces: [],
  ...overrides,
});
