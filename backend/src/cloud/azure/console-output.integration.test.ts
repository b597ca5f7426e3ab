// The Azure provider's console output: retrieveBootDiagnosticsData through the real
// @azure/arm-compute client against the ARM test server, then the serial log blob at the SAS URI
// it answers. The SAS URI is a credential: it appears in no error and no log line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ArmServer } from '../../../test/arm-server/server.ts';
import { armTestProvider, startArmTestServer, SUBSCRIPTION } from '../test/arm-provider.ts';
import { memoryLogger } from '../../../test/memory-logger.ts';
import { CONSOLE_TAIL_BYTES } from '../console-output.ts';
import { AzureCloudProvider } from './provider.ts';

const CLIENT_SECRET = 'Q8~peerpods-azure-console-secret-must-not-leak';
const RG = 'test-cluster-rg';
const vmId = (name: string) =>
  `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name}`;

let arm: ArmServer;
const logs = memoryLogger();

function provider(): AzureCloudProvider {
  return armTestProvider(arm, { resourceGroup: RG, clientSecret: CLIENT_SECRET, maxRetries: 0, logger: logs.logger });
}

/** Every SAS signature the server handed out, to look for in what the backend says. */
const signatures = () =>
  arm.requests.flatMap((request) => [...request.url.matchAll(/[?&]sig=([^&]+)/g)].map(([, sig]) => sig!));

beforeAll(async () => {
  arm = await startArmTestServer(CLIENT_SECRET);
  arm.state.addVirtualMachine(RG, { name: 'podvm-web-0-1a2b3c4d' });
  arm.state.setSerialConsoleLog(
    RG,
    'podvm-web-0-1a2b3c4d',
    '[    0.000000] Linux version 6.1\n[  OK  ] Started kata-agent.\n',
  );
  arm.state.addVirtualMachine(RG, { name: 'podvm-big-0-1a2b3c4d' });
  const lines = Array.from({ length: 5000 }, (_, i) => `[${i}] agent-protocol-forwarder: listening on 15150\n`).join(
    '',
  );
  arm.state.setSerialConsoleLog(RG, 'podvm-big-0-1a2b3c4d', lines);
  arm.state.addVirtualMachine(RG, { name: 'podvm-dark-0-1a2b3c4d' });
});

afterAll(async () => {
  await arm?.stop();
});

beforeEach(() => {
  arm.clearFaults();
});

describe('AzureCloudProvider.consoleOutput', () => {
  it('reads the boot diagnostics serial log of a VM', async () => {
    const read = await provider().consoleOutput(vmId('podvm-web-0-1a2b3c4d'));
    expect(read).toMatchObject({
      output: '[    0.000000] Linux version 6.1\n[  OK  ] Started kata-agent.\n',
      truncated: false,
    });
    expect(read.unavailable).toBeUndefined();
    expect(Number.isNaN(Date.parse(read.capturedAt ?? ''))).toBe(false);
    const calls = arm.requests.map((request) => `${request.method} ${request.url.split('?')[0]}`);
    expect(calls).toContain(
      `POST /subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/podvm-web-0-1a2b3c4d/retrieveBootDiagnosticsData`,
    );
    expect(calls).toContain('GET /bootdiagnostics-blobs/podvm-web-0-1a2b3c4d/serialconsole.log');
  });

  it('keeps the tail of a long log and says it cut', async () => {
    const read = await provider().consoleOutput(vmId('podvm-big-0-1a2b3c4d'));
    expect(read.truncated).toBe(true);
    expect(Buffer.byteLength(read.output)).toBeLessThanOrEqual(CONSOLE_TAIL_BYTES);
    expect(read.output.endsWith('[4999] agent-protocol-forwarder: listening on 15150\n')).toBe(true);
    expect(read.output.startsWith('[')).toBe(true);
  });

  it('says boot diagnostics are off instead of failing', async () => {
    const read = await provider().consoleOutput(vmId('podvm-dark-0-1a2b3c4d'));
    expect(read).toMatchObject({ output: '', truncated: false });
    expect(read.unavailable).toContain('Boot diagnostics are not enabled on VM podvm-dark-0-1a2b3c4d');
  });

  it('refuses a VM of another resource group without calling ARM', async () => {
    const before = arm.requests.length;
    const other = `/subscriptions/${SUBSCRIPTION}/resourceGroups/someone-else/providers/Microsoft.Compute/virtualMachines/podvm-x-1`;
    await expect(provider().consoleOutput(other)).rejects.toMatchObject({ code: 'invalid_config' });
    expect(arm.requests.length).toBe(before);
  });

  it('fails without the SAS URI in the error or the log when storage refuses the blob', async () => {
    arm.inject({ path: /^\/bootdiagnostics-blobs\//, status: 500, code: 'InternalError' });
    const error = await provider()
      .consoleOutput(vmId('podvm-web-0-1a2b3c4d'))
      .then(
        () => new Error('the read did not fail'),
        (caught: unknown) => caught as Error,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(
      'Could not read the serial console log of VM podvm-web-0-1a2b3c4d from Azure Storage (HTTP 500).',
    );
    const sigs = signatures();
    expect(sigs.length).toBeGreaterThan(0);
    for (const sig of sigs) {
      expect(JSON.stringify(error)).not.toContain(sig);
      expect(String(error.stack)).not.toContain(sig);
      expect(logs.text()).not.toContain(sig);
      expect(logs.text()).not.toContain(decodeURIComponent(sig));
    }
    expect(logs.text()).not.toContain('bootdiagnostics-blobs');
    expect(logs.text()).not.toContain('Started kata-agent');
    expect(logs.text()).not.toContain(CLIENT_SECRET);
  });
});
