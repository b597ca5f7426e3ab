// Types of the module that build.ts generates at bundle time (see sharedModuleLoadersSource).
declare module 'console-shell:shared-module-loaders' {
  /** Installed version of each shared package. */
  export const versions: Record<string, string>;
  /** PatternFly dynamic module request → lazy import of that module. */
  export const patternFlyModules: Record<string, () => Promise<unknown>>;
}
