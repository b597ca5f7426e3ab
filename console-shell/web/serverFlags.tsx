// window.SERVER_FLAGS: the bridge writes it into the console's page; the shell's server writes a
// minimal one (see server.ts) that plugins reading it find in the same place.
export type ServerFlags = {
  basePath: string;
  consoleVersion: string;
  consolePlugins: string[];
  i18nNamespaces: string[];
  productName: string;
  /** The bridge's Prometheus proxies; empty, as in a console without monitoring configured. */
  prometheusBaseURL: string;
  prometheusTenancyBaseURL: string;
  alertManagerBaseURL: string;
};

declare global {
  interface Window {
    SERVER_FLAGS: ServerFlags;
  }
}

export const serverFlags = (): ServerFlags => window.SERVER_FLAGS;
