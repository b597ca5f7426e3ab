// Stand-in for 'react-i18next': t() returns the key (the English text) with {{values}} filled in,
// so tests read and assert the English strings users see. A test that needs another language
// switches to it with setTestLanguage(): t() then reads the plugin's own catalog for it, with
// i18next's plural forms (`<key>_one`, `_other`, … picked by `count`), and falls back to the key.
import en from '../../../i18n/locales/en/plugin__peer-pods-console-plugin.json';
import es from '../../../i18n/locales/es/plugin__peer-pods-console-plugin.json';
import fr from '../../../i18n/locales/fr/plugin__peer-pods-console-plugin.json';
import ja from '../../../i18n/locales/ja/plugin__peer-pods-console-plugin.json';
import ko from '../../../i18n/locales/ko/plugin__peer-pods-console-plugin.json';
import zhCn from '../../../i18n/locales/zh-cn/plugin__peer-pods-console-plugin.json';

type Values = Record<string, unknown>;

/** The console's languages, as the plugin's catalogs name them. */
export type TestLanguage = 'en' | 'es' | 'fr' | 'ja' | 'ko' | 'zh-cn';

const catalogs: Record<TestLanguage, Record<string, string>> = { en, es, fr, ja, ko, 'zh-cn': zhCn };

let language: TestLanguage = 'en';

/** Makes t() answer in `locale` until the test ends (setup.ts switches back to English). */
export const setTestLanguage = (locale: TestLanguage): void => {
  language = locale;
};

const textOf = (key: string, values?: Values): string => {
  const catalog = catalogs[language];
  const count = values?.count;
  const form =
    typeof count === 'number' ? catalog[`${key}_${new Intl.PluralRules(language).select(count)}`] : undefined;
  return form || catalog[key] || key;
};

export const translate = (key: string, values?: Values): string =>
  textOf(key, values).replace(/{{\s*(\w+)\s*}}/g, (placeholder, name: string) =>
    values && name in values ? String(values[name]) : placeholder,
  );

const i18n = {
  get language() {
    return language;
  },
  changeLanguage: () => Promise.resolve(),
};

export const reactI18nextMock = {
  useTranslation: () => ({ t: translate, i18n, ready: true }),
  initReactI18next: { type: '3rdParty', init: () => undefined },
};
