// Types for i18next-parser.config.js, which tests import to run the same extraction.
import type { UserConfig } from 'i18next-parser';

export declare const PLUGIN_I18N_NAMESPACE: string;
export declare const PLUGIN_LOCALES: string[];

declare const config: UserConfig & { input: string[]; output: string; locales: string[] };
export default config;
