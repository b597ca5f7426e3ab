// ESLint 9 flat config for the whole repository. Browser code (console-plugin/) gets React and
// hooks rules; Node code (backend/, hack/, e2e/, bench/, root configs) gets Node globals.
// Type errors are tsc's job (`npm run typecheck`); formatting is Prettier's.
import js from '@eslint/js';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The plugin supports OpenShift 4.20 through 4.22 with one build: 4.20 shares React 17 and
// react-router 5.3 with v6 APIs under react-router-dom-v5-compat, 4.22 shares React 18 and
// react-router 7 under all three router names. Only what both share may be imported.
const deprecatedSharedModules = [
  {
    name: 'react-router',
    message: 'Use react-router-dom-v5-compat: OpenShift 4.20 shares react-router 5.3 under this name.',
  },
  {
    name: 'react-router-dom',
    message: 'Use react-router-dom-v5-compat: OpenShift 4.20 shares react-router-dom 5.3 under this name.',
  },
  {
    name: 'react',
    importNames: [
      'useId',
      'useSyncExternalStore',
      'useTransition',
      'useDeferredValue',
      'startTransition',
      'useInsertionEffect',
    ],
    message: 'React 18 only: OpenShift 4.20 shares React 17 (use hooks/useStableId).',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '**/node_modules/**',
      'backend/dist/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      'coverage/**',
      '.cache/**',
      'hack/controlplane/go/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names mark parameters a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['console-plugin/**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks },
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: { ...globals.browser },
    },
    settings: { react: { version: 'detect' } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat['jsx-runtime'].rules,
      ...reactHooks.configs.flat['recommended-latest'].rules,
      // Props are typed with TypeScript.
      'react/prop-types': 'off',
      'no-restricted-imports': ['error', { paths: deprecatedSharedModules }],
    },
  },
  {
    // The e2e console shell stands in for the console's own SDK runtime (test tooling): the rules of
    // hooks apply, the React Compiler's stricter lints (refs during render, …) are for product code.
    files: ['e2e/shell/web/**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks },
    languageOptions: {
      ...react.configs.flat.recommended.languageOptions,
      globals: { ...globals.browser },
    },
    settings: { react: { version: 'detect' } },
    rules: {
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat['jsx-runtime'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react/prop-types': 'off',
    },
  },
  {
    // STYLE.md: data is read and written in hooks (src/hooks/), never in views or components.
    files: ['console-plugin/src/views/**/*.{ts,tsx}', 'console-plugin/src/components/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...deprecatedSharedModules,
            {
              name: '@openshift-console/dynamic-plugin-sdk',
              importNames: [
                'useK8sWatchResource',
                'useK8sWatchResources',
                'k8sGet',
                'k8sList',
                'k8sListItems',
                'k8sCreate',
                'k8sUpdate',
                'k8sPatch',
                'k8sDelete',
                'consoleFetch',
                'consoleFetchJSON',
                'consoleFetchText',
              ],
              message: 'Read and write data in a hook under console-plugin/src/hooks/ and pass it down as props.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plugin tests and their helpers run in Vitest (jsdom or node) with globals.
    files: ['console-plugin/**/*.test.{ts,tsx}', 'console-plugin/src/test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.vitest } },
  },
  {
    files: [
      'backend/**/*.{ts,js,mjs}',
      'hack/**/*.{ts,js,mjs}',
      'e2e/**/*.{ts,js,mjs}',
      'bench/**/*.{ts,js,mjs}',
      'i18n/**/*.js',
      '*.{ts,js,mjs,cjs}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    languageOptions: { globals: { ...globals.vitest } },
  },
);
