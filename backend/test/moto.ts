// A real moto_server (the AWS API emulator, python package `moto`) for tests and benchmarks.
// It listens on a free loopback port and dies with this process, even when this process is
// killed: a watchdog thread inside the Python process exits as soon as its parent is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../hack/controlplane/controlplane.ts';

export interface MotoServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** Drops every resource in every region (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Python interpreter that has moto installed; default `python3`. */
  python?: string;
  /** How long to wait for the server to answer; default 60 s. */
  startTimeoutMs?: number;
  /**
   * moto looks up an EC2 resource's tags by scanning every tag of the account (O(n) per instance,
   * so O(n²) per DescribeInstances). With this set, the lookup reads the same tag table by resource
   * id instead: identical answers, linear time. Used by benchmarks at thousands of instances, where
   * the scan alone would dominate; off by default so tests run moto as shipped.
   */
  indexTagLookups?: boolean;
  /**
   * The account's applied EC2 On-Demand vCPU quotas, by quota code (e.g. `{ 'L-1216C47A': 64 }`),
   * in every region: GetServiceQuota answers them. A code without one answers NoSuchResourceException
   * there, as AWS does for a quota never raised; GetAWSDefaultServiceQuota answers EC2_DEFAULT_QUOTAS.
   */
  ec2Quotas?: Record<string, number>;
}

/**
 * moto's Service Quotas knows only VPC quotas; the launcher teaches it EC2's On-Demand vCPU quotas
 * (codes and names as AWS documents them). The values are moto's stand-in defaults, those of a new
 * account: 5 vCPUs of Standard instances, none of the others.
 */
export const EC2_DEFAULT_QUOTAS: Readonly<Record<string, { name: string; value: number }>> = {
  'L-1216C47A': { name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', value: 5 },
  'L-DB2E81BA': { name: 'Running On-Demand G and VT instances', value: 0 },
  'L-417A185B': { name: 'Running On-Demand P instances', value: 0 },
  'L-74FC7D96': { name: 'Running On-Demand F instances', value: 0 },
  'L-7295265B': { name: 'Running On-Demand X instances', value: 0 },
  'L-1945791B': { name: 'Running On-Demand Inf instances', value: 0 },
  'L-6E869C2A': { name: 'Running On-Demand DL instances', value: 0 },
  'L-2C3B7624': { name: 'Running On-Demand Trn instances', value: 0 },
  'L-43DA4232': { name: 'Running On-Demand High Memory instances', value: 0 },
};

// Runs moto's own server entry point, plus a thread that ends the process when the parent dies
// (os.getppid() changes once the parent is gone), so a crashed test run never leaks a server.
// PEERPODS_MOTO_EC2_QUOTAS ({defaults, applied}) adds service code 'ec2' to Service Quotas.
const LAUNCHER = [
  'import os, sys, threading, time',
  'parent = os.getppid()',
  'def watch():',
  '    while os.getppid() == parent:',
  '        time.sleep(0.5)',
  '    os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'if os.environ.get("PEERPODS_MOTO_INDEX_TAGS") == "1":',
  '    from moto.ec2.models.core import TaggedEC2Resource',
  '    from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix',
  '    def get_tags(self):',
  '        if not self.id:',
  '            return []',
  '        kind = EC2_PREFIX_TO_RESOURCE.get(get_prefix(self.id), "")',
  '        tags = self.ec2_backend.tags.get(self.id, {})',
  '        return [{"resource_id": self.id, "key": k, "value": v, "resource_type": kind} for k, v in tags.items()]',
  '    TaggedEC2Resource.get_tags = get_tags',
  'if os.environ.get("PEERPODS_MOTO_EC2_QUOTAS"):',
  '    import json',
  '    from moto.core.exceptions import JsonRESTError',
  '    from moto.servicequotas.models import ServiceQuotasBackend',
  '    from moto.servicequotas.responses import ServiceQuotasResponse',
  '    ec2 = json.loads(os.environ["PEERPODS_MOTO_EC2_QUOTAS"])',
  '    def ec2_quota(region, code, value):',
  '        return {"Adjustable": True, "GlobalQuota": False, "QuotaArn": f"arn:aws:servicequotas:{region}::ec2/{code}",',
  '                "QuotaCode": code, "QuotaName": ec2["defaults"][code]["name"], "ServiceCode": "ec2",',
  '                "ServiceName": "Amazon Elastic Compute Cloud (Amazon EC2)", "Unit": "None", "Value": float(value)}',
  '    def no_such_quota(code):',
  '        return JsonRESTError("NoSuchResourceException", f"The request failed because the specified service quota {code} does not exist.")',
  '    shipped_list = ServiceQuotasBackend.list_aws_default_service_quotas',
  '    shipped_get = ServiceQuotasBackend.get_service_quota',
  '    def list_defaults(self, service_code):',
  '        if service_code != "ec2":',
  '            return shipped_list(self, service_code)',
  '        return [ec2_quota(self.region_name, code, quota["value"]) for code, quota in ec2["defaults"].items()]',
  '    def get_applied(self, service_code, quota_code):',
  '        if service_code != "ec2":',
  '            return shipped_get(self, service_code, quota_code)',
  '        if quota_code in ec2["defaults"] and quota_code in ec2["applied"]:',
  '            return ec2_quota(self.region_name, quota_code, ec2["applied"][quota_code])',
  '        raise no_such_quota(quota_code)',
  '    def get_default(self, service_code, quota_code):',
  '        for quota in self.list_aws_default_service_quotas(service_code):',
  '            if quota["QuotaCode"] == quota_code:',
  '                return quota',
  '        raise no_such_quota(quota_code)',
  '    def respond_default(self):',
  '        params = json.loads(self.body)',
  '        quota = self.backend.get_aws_default_service_quota(str(params.get("ServiceCode")), str(params.get("QuotaCode")))',
  '        return json.dumps({"Quota": quota})',
  '    ServiceQuotasBackend.list_aws_default_service_quotas = list_defaults',
  '    ServiceQuotasBackend.get_service_quota = get_applied',
  '    if not hasattr(ServiceQuotasBackend, "get_aws_default_service_quota"):',
  '        ServiceQuotasBackend.get_aws_default_service_quota = get_default',
  '    if not hasattr(ServiceQuotasResponse, "get_aws_default_service_quota"):',
  '        ServiceQuotasResponse.get_aws_default_service_quota = respond_default',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** A free loopback port (the control plane's helper; tests may import either name). */
export const freeLoopbackPort = freePort;

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `moto_server exited before it answered (code ${child.exitCode ?? child.signalCode}):\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${output()}`);
}

export async function startMotoServer(options: StartMotoOptions = {}): Promise<MotoServer> {
  installExitHook();
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(options.python ?? 'python3', ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      PEERPODS_MOTO_INDEX_TAGS: options.indexTagLookups ? '1' : '0',
      PEERPODS_MOTO_EC2_QUOTAS: JSON.stringify({ defaults: EC2_DEFAULT_QUOTAS, applied: options.ec2Quotas ?? {} }),
    },
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    // keep only the tail: moto logs one line per request
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never rejects: the exit event only resolves it.
  void exited.then(() => running.delete(child));

  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 60_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }

  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
