import { node, peerPodConfig } from '../test/fixtures';
import { limitPatch, nodeOverridePatch } from './usePeerPodLimitActions';

const withAnnotations = (annotations?: Record<string, string>) => {
  const base = node('worker-a');
  return { ...base, metadata: { ...base.metadata, annotations } };
};

describe('limit patches', () => {
  it('replaces spec.limit with the number as a string', () => {
    expect(limitPatch(peerPodConfig({ limit: '10' }), 7)).toEqual([{ op: 'replace', path: '/spec/limit', value: '7' }]);
  });

  it('adds spec.limit when the config has none', () => {
    const config = peerPodConfig();
    delete config.spec.limit;
    expect(limitPatch(config, 0)).toEqual([{ op: 'add', path: '/spec/limit', value: '0' }]);
  });
});

describe('node override patches', () => {
  const path = '/metadata/annotations/peerpods.openshift.io~1vm-limit';

  it('adds the annotation next to existing ones', () => {
    expect(nodeOverridePatch(withAnnotations({ other: 'x' }), 3)).toEqual([{ op: 'add', path, value: '3' }]);
  });

  it('creates the annotation map when the node has none', () => {
    expect(nodeOverridePatch(withAnnotations(undefined), 3)).toEqual([
      { op: 'add', path: '/metadata/annotations', value: { 'peerpods.openshift.io/vm-limit': '3' } },
    ]);
  });

  it('replaces an existing override, also an invalid one', () => {
    expect(nodeOverridePatch(withAnnotations({ 'peerpods.openshift.io/vm-limit': 'ten' }), 4)).toEqual([
      { op: 'replace', path, value: '4' },
    ]);
  });

  it('removes the override, and does nothing when there is none', () => {
    expect(nodeOverridePatch(withAnnotations({ 'peerpods.openshift.io/vm-limit': '4' }), null)).toEqual([
      { op: 'remove', path },
    ]);
    expect(nodeOverridePatch(withAnnotations({ other: 'x' }), null)).toEqual([]);
  });
});
