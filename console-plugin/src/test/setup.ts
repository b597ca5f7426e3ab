// Runs before every plugin test file (vitest.config.ts, project "plugin").
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

import { setTestLanguage } from './i18n-mock';
import { resetSdkMock } from './sdk-mock';

// The console provides these modules at runtime; tests get stand-ins at the same boundary.
vi.mock('@openshift-console/dynamic-plugin-sdk', async () => (await import('./sdk-mock')).sdkModuleMock);
vi.mock('react-i18next', async () => (await import('./i18n-mock')).reactI18nextMock);

afterEach(() => {
  cleanup();
  resetSdkMock();
  setTestLanguage('en');
});
