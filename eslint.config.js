// ESLint 9 flat config for the whole repository. Browser code (console-plugin/, the console
// shell's page console-shell/web/) gets React and hooks rules; Node code (backend/, hack/, e2e/,
// bench/, the rest of console-shell/, root configs) gets Node globals; the contract
// (contract/src/), which runs in both, gets neither.
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
    // The plugin takes values from the contract's import-free modules only: its entry point holds the
    // API's zod schemas, which would put zod in the browser bundle for nothing (types are free).
    files: ['console-plugin/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@peer-pods-console/contract',
              allowTypeImports: true,
              message:
                'Import only types from the contract entry point; values come from its import-free modules (@peer-pods-console/contract/capacity, /capacity-delta, /endpoints, /setup-checks, /namespace-policy, /operations, /sizing).',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract runs in the browser and in Node: it imports zod and its own modules, nothing else.
    files: ['contract/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./)',
              message:
                'The contract is bundled into the plugin and runs in the backend: import only zod and ./ modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console shell stands in for the console's own SDK runtime (test tooling): the rules of
    // hooks apply, the React Compiler's stricter lints (refs during render, …) are for product code.
    files: ['console-shell/web/**/*.tsx'],
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
      // The shell bundles this name as the plugin's runtime (web/sdk/index.tsx), which holds only what
      // the plugin imports: the shell's own page takes the SDK's types from it, and values elsewhere.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@openshift-console/dynamic-plugin-sdk',
              allowTypeImports: true,
              message:
                "In the shell this is the plugin's SDK runtime: import values from web/sdk/<module> or the SDK's lib/ paths.",
            },
          ],
        },
      ],
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
      'contract/build.ts',
      'backend/**/*.{ts,js,mjs}',
      'hack/**/*.{ts,js,mjs}',
      'e2e/**/*.{ts,js,mjs}',
      'console-shell/**/*.{ts,js,mjs}',
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
  {
    // Backend layers point one way: server → services (and setup) → domain (capacity, cloud) →
    // clients (kube). Services throw the domain errors of services/errors.ts and take UserInfo from
    // services/types.ts; only server/ knows HTTP. Their tests keep the arrow too.
    files: ['backend/src/{services,setup,capacity,cloud,kube}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server/',
              message:
                'server/ is the HTTP layer above this one: take types from services/types.ts and throw the domain errors of services/errors.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // …and domain functions and clients call nothing above them (tests may, to check a whole flow).
    files: ['backend/src/{capacity,cloud,kube}/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(server|services|setup)/',
              message: 'Domain functions and clients do not call the layers above them (server, services, setup).',
            },
          ],
        },
      ],
    },
  },
  {
    // Type-aware rules for the backend, where a promise nobody awaits is a request that fails in
    // silence or a rejection that ends the process: every promise is awaited, returned, or marked
    // `void` on purpose, and no async function is passed where a callback's result is ignored.
    files: ['backend/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
