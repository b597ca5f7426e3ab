import type { EventEmitter } from 'node:events';

/** i18next-parser lexer for `%plugin__<name>~<key>%` console extension labels. */
export default class ExtensionLabelLexer extends EventEmitter {
  extract(content: string): { namespace: string; key: string }[];
}
