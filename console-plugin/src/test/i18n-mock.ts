// Stand-in for 'react-i18next': t() returns the key (the English text) with {{values}} filled in,
// so tests read and assert the English strings users see.
type Values = Record<string, unknown>;

export const translate = (key: string, values?: Values): string =>
  key.replace(/{{\s*(\w+)\s*}}/g, (placeholder, name: string) =>
    values && name in values ? String(values[name]) : placeholder,
  );

const i18n = { language: 'en', changeLanguage: () => Promise.resolve() };

export const reactI18nextMock = {
  useTranslation: () => ({ t: translate, i18n, ready: true }),
  initReactI18next: { type: '3rdParty', init: () => undefined },
};
