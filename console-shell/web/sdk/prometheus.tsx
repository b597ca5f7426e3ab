// usePrometheusPoll as the console implements it (public/components/graphs/prometheus-poll-hook.ts,
// helpers.ts getPrometheusURL, utils/url-poll-hook.ts): the URL is the bridge's Prometheus proxy
// from window.SERVER_FLAGS (prometheusBaseURL, or prometheusTenancyBaseURL with a namespace) plus
// the endpoint and its search parameters; no query means no request, except for the rules endpoint;
// it polls every `delay` ms (15 s by default) and answers [response, loaded, error]. The shell has no
// Prometheus: its flags carry empty base URLs and its server answers these paths with the bridge's
// 404, as a console without monitoring does.
import { useEffect, useState } from 'react';
import type * as Sdk from '@openshift-console/dynamic-plugin-sdk';
import { PrometheusEndpoint } from '@openshift-console/dynamic-plugin-sdk/lib/api/common-types';
import { serverFlags } from '../serverFlags';
import { consoleFetchJSON } from './consoleFetch';

export { PrometheusEndpoint };

const DEFAULT_DELAY_MS = 15_000;
const DEFAULT_SAMPLES = 60;
const DEFAULT_TIMESPAN_MS = 60 * 60 * 1000;

type PrometheusPollProps = Parameters<typeof Sdk.usePrometheusPoll>[0];

export const prometheusUrl = ({
  endpoint,
  endTime,
  namespace,
  query,
  samples = DEFAULT_SAMPLES,
  timeout,
  timespan = DEFAULT_TIMESPAN_MS,
}: PrometheusPollProps): string => {
  if (endpoint !== PrometheusEndpoint.RULES && !query) return '';
  const params = new URLSearchParams();
  if (endpoint === PrometheusEndpoint.QUERY_RANGE && timespan > 0) {
    const end = endTime ?? Date.now();
    params.append('start', `${(end - timespan) / 1000}`);
    params.append('end', `${end / 1000}`);
    params.append('step', `${timespan / samples / 1000}`);
  }
  for (const [key, value] of Object.entries({ namespace, query, timeout })) {
    if (value) params.append(key, String(value));
  }
  const flags = serverFlags();
  const basePath = namespace ? flags.prometheusTenancyBaseURL : flags.prometheusBaseURL;
  return `${basePath}/${endpoint}?${params.toString()}`;
};

export const usePrometheusPoll: typeof Sdk.usePrometheusPoll = (props) => {
  const url = prometheusUrl(props);
  const delay = props.delay ?? DEFAULT_DELAY_MS;
  const [state, setState] = useState<{
    response: Sdk.PrometheusResponse | undefined;
    error: unknown;
    loading: boolean;
  }>({ response: undefined, error: undefined, loading: true });

  useEffect(() => {
    if (!url) {
      setState((current) => ({ ...current, loading: false }));
      return undefined;
    }
    let current = true;
    const tick = () => {
      (consoleFetchJSON(url) as Promise<Sdk.PrometheusResponse>).then(
        (response) => {
          if (current) setState({ response, error: null, loading: false });
        },
        (error: unknown) => {
          if (current) setState({ response: undefined, error, loading: false });
        },
      );
    };
    tick();
    const timer = setInterval(tick, delay);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [url, delay]);

  return [state.response, !state.loading, state.error];
};
