// i18next-parser lexer for console extension labels. Extensions name their visible strings as
// `%plugin__peer-pods-console-plugin~Peer pods%`; the console translates them at runtime with the
// namespace before `~`. They are plain strings in manifest.ts, not t() calls, so the JavaScript
// lexer does not see them.
import EventEmitter from 'node:events';

const LABEL = /%(plugin__[a-z0-9-]+)~((?:[^%\\]|\\.)+)%/g;

export default class ExtensionLabelLexer extends EventEmitter {
  /** @returns {{ key: string; namespace: string }[]} */
  extract(content) {
    return [...content.matchAll(LABEL)].map(([, namespace, key]) => ({ namespace, key }));
  }
}
