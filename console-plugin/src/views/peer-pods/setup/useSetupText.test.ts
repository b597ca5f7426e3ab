import { SETUP_ACTIONS, SETUP_CHECK_IDS, SETUP_TEXT } from '@peer-pods-console/contract/setup-checks';
import { translate } from '../../../test/i18n-mock';
import { setupActionLabels, setupCheckTitles, setupTextTranslations } from './useSetupText';

describe('setup checklist text', () => {
  it('has a translation for every sentence the backend can send, in the backend’s English', () => {
    const sentences = setupTextTranslations(translate);
    expect(Object.keys(sentences).sort()).toEqual(Object.keys(SETUP_TEXT).sort());
    for (const [key, english] of Object.entries(SETUP_TEXT)) {
      // Without values the placeholders stay: the plugin's key is the backend's template.
      expect(sentences[key as keyof typeof SETUP_TEXT]({})).toBe(english);
    }
  });

  it('names every check and every action', () => {
    expect(Object.keys(setupCheckTitles(translate)).sort()).toEqual([...SETUP_CHECK_IDS].sort());
    expect(Object.keys(setupActionLabels(translate)).sort()).toEqual([...SETUP_ACTIONS].sort());
  });
});
