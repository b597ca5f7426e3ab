// i18next configured as the console configures it (frontend/public/i18n.js): fallback English,
// `load: 'languageOnly'`, `~` as namespace separator, no key separator, resources from
// /locales/resource.json?lng=&ns= (the bridge answers plugin namespaces from the plugin's
// locales/<lng>/<ns>.json). Note what follows from `languageOnly`: "zh-cn" is looked up as "zh".
import i18n, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';

/** The console's languages, as the shell's switcher offers them. */
export const SHELL_LANGUAGES: { code: string; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'zh-cn', label: '中文（简体）' },
  { code: 'ja', label: '日本語' },
  { code: 'ko', label: '한국어' },
  { code: 'fr', label: 'Français' },
  { code: 'es', label: 'Español' },
];

const LANGUAGE_KEY = 'bridge/language';

export const storedLanguage = (): string => {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  return SHELL_LANGUAGES.some((l) => l.code === stored) ? stored! : 'en';
};

export const storeLanguage = (code: string) => localStorage.setItem(LANGUAGE_KEY, code);

const bridgeBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    fetch(`/locales/resource.json?lng=${encodeURIComponent(language)}&ns=${encodeURIComponent(namespace)}`)
      .then(async (response) => {
        // A missing language is not an error worth retrying: i18next falls back to English.
        if (response.status === 404) return callback(null, {});
        if (!response.ok) return callback(new Error(`${response.status} loading ${language}/${namespace}`), false);
        return callback(null, (await response.json()) as Record<string, string>);
      })
      .catch((err: Error) => callback(err, false));
  },
};

export const initI18n = (namespaces: string[]) =>
  i18n
    .use(bridgeBackend)
    .use(initReactI18next)
    .init({
      lng: storedLanguage(),
      fallbackLng: 'en',
      load: 'languageOnly',
      ns: namespaces,
      defaultNS: namespaces[0],
      nsSeparator: '~',
      keySeparator: false,
      contextSeparator: '~',
      interpolation: { escapeValue: false },
      react: { useSuspense: true },
    });

export default i18n;
