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

  it("names the checks of the adaptor's own limit and of the vCPU quota", () => {
    const titles = setupCheckTitles(translate);
    expect(titles['adaptor-limit']).toBe("Adaptor's own VM limit");
    expect(titles['cloud-quota']).toBe('Room in the vCPU quota');
  });

  it('says how many more VMs the quota holds, with the numbers filled in', () => {
    const sentences = setupTextTranslations(translate);
    expect(
      sentences.quotaShort({
        promised: 200,
        size: 'm6a.large',
        vcpus: 2,
        used: 10,
        quota: 'L-1216C47A',
        free: 64,
        more: 32,
        short: 158,
      }),
    ).toBe(
      'The limits allow 200 peer pod VMs of m6a.large (2 vCPUs each) and 10 run now, but the quota L-1216C47A has only 64 vCPUs free: at most 32 more can start, so 158 promised VMs would fail in ContainerCreating. Lower the limits or ask the cloud for a higher quota.',
    );
  });
});
