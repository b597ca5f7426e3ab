import { describe, expect, it } from 'vitest';
import { chunkFiles, exposedChunkIds } from './chunks.ts';

// The shape of a minified ConsoleRemotePlugin container entry, cut down to what the bench reads.
const entry =
  'var d={Page:()=>Promise.all([a.e(9),a.e(12),a.e(30)]).then(()=>()=>a(1)),Card:()=>a.e(31).then(()=>()=>a(2))};' +
  'a.u=e=>(({30:"exposed-Page",31:"exposed-Card"}[e]||e)+"-chunk-"+{12:"aa11",30:"bb22",31:"cc33"}[e]+".min.js");';

describe('bundle chunks', () => {
  it('lists the chunk ids each exposed module loads, with one or several chunks', () => {
    expect(exposedChunkIds(entry, ['Page', 'Card'])).toEqual({ Page: ['9', '12', '30'], Card: ['31'] });
  });

  it('names a missing exposed module', () => {
    expect(() => exposedChunkIds(entry, ['Nope'])).toThrow('no factory for the exposed module Nope');
  });

  it('maps chunk ids to files, named chunks by name; an id without JS (shared modules only) has none', () => {
    const files = ['12-chunk-aa11.min.js', 'exposed-Page-chunk-bb22.min.js', 'exposed-Card-chunk-cc33.min.js'];
    const byId = chunkFiles(entry, files);
    expect(Object.fromEntries(byId)).toEqual({
      '12': '12-chunk-aa11.min.js',
      '30': 'exposed-Page-chunk-bb22.min.js',
      '31': 'exposed-Card-chunk-cc33.min.js',
    });
    expect(byId.get('9')).toBeUndefined();
  });

  it('refuses a build whose files do not match its entry', () => {
    expect(() => chunkFiles(entry, ['12-chunk-aa11.min.js'])).toThrow('which the build does not have');
  });
});
