// @vitest-environment node
// The locale files must match the code: every key the code uses (t() calls and
// `%plugin__peer-pods-console-plugin~…%` extension labels) translated in every language, and no
// key the code no longer uses. This runs the same i18next-parser extraction as `npm run i18n`
// without writing anything; when it fails, run `npm run i18n` and translate the new keys.
import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';

import * as i18nextParser from 'i18next-parser';

import ExtensionLabelLexer from '../../i18n/ExtensionLabelLexer.js';
import config, { PLUGIN_I18N_NAMESPACE, PLUGIN_LOCALES } from '../../i18next-parser.config.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Catalog = Record<string, string>;

// i18next-parser's type declarations omit its stream API; this is the part the CLI uses.
type I18nTransformClass = new (options: object) => Transform;
const I18nTransform = (i18nextParser as unknown as { transform: I18nTransformClass }).transform;

const localeFile = (locale: string): string =>
  path.join(rootDir, config.output.replace('$LOCALE', locale).replace('$NAMESPACE', PLUGIN_I18N_NAMESPACE));

const readCatalog = (locale: string): Catalog => JSON.parse(readFileSync(localeFile(locale), 'utf8')) as Catalog;

const sourceFiles = (): string[] => {
  const include = config.input.filter((pattern) => !pattern.startsWith('!'));
  const exclude = config.input.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1));
  return globSync(include, { cwd: rootDir, exclude }).map((file) => path.join(rootDir, file));
};

/** What `npm run i18n` would write for each locale, given the code and the current files. */
const regeneratedCatalogs = (): Promise<Map<string, Catalog>> =>
  new Promise((resolve, reject) => {
    const transform = new I18nTransform({ ...config, output: path.join(rootDir, config.output), verbose: false });
    const catalogs = new Map<string, Catalog>();
    transform.on('data', (file: { path: string; contents: Buffer }) => {
      const locale = PLUGIN_LOCALES.find((candidate) => file.path === localeFile(candidate));
      if (locale) catalogs.set(locale, JSON.parse(file.contents.toString('utf8')) as Catalog);
    });
    transform.on('error', reject);
    transform.on('end', () => resolve(catalogs));
    for (const file of sourceFiles()) {
      transform.write({ path: file, isBuffer: () => true, contents: readFileSync(file) });
    }
    transform.end();
  });

const placeholders = (text: string): string[] => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map(([, name]) => name!).sort();

/** i18next's plural forms of a key: `<key>_one`, `<key>_other`, … picked by the value of {{count}}. */
const PLURAL_FORM = /_(zero|one|two|few|many|other)$/;

/** The text a key holds, plural form aside, and the form (undefined for a key without forms). */
const keyParts = (key: string): { text: string; form: string | undefined } => {
  const form = PLURAL_FORM.exec(key)?.[1];
  return { text: form ? key.slice(0, -form.length - 1) : key, form };
};

/** A plural form other than "other" may leave the number out ("one VM"); every other placeholder stays. */
const expectedPlaceholders = (key: string, value: string): string[] => {
  const { text, form } = keyParts(key);
  const wanted = placeholders(text);
  return form && form !== 'other' && !placeholders(value).includes('count')
    ? wanted.filter((name) => name !== 'count')
    : wanted;
};

const RESOURCE_KINDS = ['PeerPodConfig', 'PeerPod', 'RuntimeClass', 'Infrastructure'];

describe('locale files', () => {
  let regenerated: Map<string, Catalog>;

  beforeAll(async () => {
    regenerated = await regeneratedCatalogs();
  });

  it('cover the six console languages', () => {
    expect([...regenerated.keys()].sort()).toEqual(['en', 'es', 'fr', 'ja', 'ko', 'zh-cn']);
  });

  describe.each(PLUGIN_LOCALES)('%s', (locale) => {
    it('has every key the code uses', () => {
      const onDisk = readCatalog(locale);
      const missing = Object.keys(regenerated.get(locale)!).filter((key) => !(key in onDisk));
      expect(missing, `keys missing in ${localeFile(locale)}; run npm run i18n and translate them`).toEqual([]);
    });

    it('has no key the code no longer uses', () => {
      const used = regenerated.get(locale)!;
      const unused = Object.keys(readCatalog(locale)).filter((key) => !(key in used));
      expect(unused, `unused keys in ${localeFile(locale)}; run npm run i18n to drop them`).toEqual([]);
    });

    it('translates every key, keeping its {{placeholders}} and resource kinds', () => {
      const problems = Object.entries(readCatalog(locale)).flatMap(([key, value]) => {
        if (value.trim() === '') return [`untranslated: ${key}`];
        // English plural forms other than "other" may word the singular their own way.
        const { text, form } = keyParts(key);
        if (locale === 'en' && (form === undefined || form === 'other') && value !== text) {
          return [`English text differs from its key: ${key}`];
        }
        if (placeholders(value).join() !== expectedPlaceholders(key, value).join()) {
          return [`placeholders differ: ${key}`];
        }
        const lostKinds = RESOURCE_KINDS.filter((kind) => key.includes(kind) && !value.includes(kind));
        return lostKinds.length ? [`resource kind translated (${lostKinds.join(', ')}): ${key}`] : [];
      });
      expect(problems).toEqual([]);
    });
  });
});

describe('extension label extraction', () => {
  it('finds %namespace~key% labels in manifest code', () => {
    const lexer = new ExtensionLabelLexer();
    const source = `name: '%${PLUGIN_I18N_NAMESPACE}~Peer pods%', title: '%${PLUGIN_I18N_NAMESPACE}~Capacity%'`;

    expect(lexer.extract(source)).toEqual([
      { namespace: PLUGIN_I18N_NAMESPACE, key: 'Peer pods' },
      { namespace: PLUGIN_I18N_NAMESPACE, key: 'Capacity' },
    ]);
  });
});
