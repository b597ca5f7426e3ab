// i18next-parser keeps i18n/locales/<lang>/plugin__peer-pods-console-plugin.json in sync with the
// code: `npm run i18n` adds new keys (English value = key, other languages empty until
// translated), drops keys no longer used, and keeps every existing translation.
// console-plugin/src/i18n.test.ts runs the same extraction and fails on any difference.
import ExtensionLabelLexer from './i18n/ExtensionLabelLexer.js';

export const PLUGIN_I18N_NAMESPACE = 'plugin__peer-pods-console-plugin';

/** The console's languages; `en` holds the keys themselves. */
export const PLUGIN_LOCALES = ['en', 'zh-cn', 'ja', 'ko', 'fr', 'es'];

export default {
  input: ['console-plugin/src/**/*.{ts,tsx}', '!console-plugin/src/**/*.test.{ts,tsx}', '!console-plugin/src/test/**'],
  output: `i18n/locales/$LOCALE/$NAMESPACE.json`,
  locales: PLUGIN_LOCALES,
  defaultNamespace: PLUGIN_I18N_NAMESPACE,
  // Keys are the English strings (console convention), so neither `.` nor `:` may split them.
  keySeparator: false,
  namespaceSeparator: '~',
  defaultValue: (locale, _namespace, key) => (locale === 'en' ? key : ''),
  createOldCatalogs: false,
  keepRemoved: false,
  sort: true,
  lexers: {
    ts: ['JavascriptLexer', ExtensionLabelLexer],
    tsx: ['JsxLexer', ExtensionLabelLexer],
    default: ['JavascriptLexer'],
  },
};
