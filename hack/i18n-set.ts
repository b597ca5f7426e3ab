// Sets translations in the locale files without disturbing anything else in them:
//   npx tsx hack/i18n-set.ts translations.json
// where translations.json is {"zh-cn": {"<English key>": "<translation>", …}, "ja": {…}, …}.
// Run `npm run i18n` first so that new keys exist; keys are written sorted, as i18next-parser does.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PLUGIN_I18N_NAMESPACE, PLUGIN_LOCALES } from '../i18next-parser.config.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2];
if (!input) {
  console.error('usage: tsx hack/i18n-set.ts <translations.json>');
  process.exit(2);
}
const translations = JSON.parse(readFileSync(input, 'utf8')) as Record<string, Record<string, string>>;
for (const [locale, entries] of Object.entries(translations)) {
  if (!PLUGIN_LOCALES.includes(locale)) throw new Error(`unknown locale "${locale}"; use one of ${PLUGIN_LOCALES}`);
  const file = path.join(rootDir, 'i18n/locales', locale, `${PLUGIN_I18N_NAMESPACE}.json`);
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const unknown = Object.keys(entries).filter((key) => !(key in catalog));
  if (unknown.length) console.warn(`${locale}: not in the catalog (run npm run i18n?): ${unknown.join(' | ')}`);
  Object.assign(catalog, entries);
  const sorted = Object.fromEntries(Object.entries(catalog).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}
