import { inventoryVm } from '../../../test/fixtures';
import { csvField, VM_CSV_HEADER, vmInventoryCsv, vmInventoryCsvFileName } from './vmInventoryCsv';
import type { InventoryVm } from './vmInventoryRows';

const vm = (name: string, overrides: Partial<InventoryVm> = {}): InventoryVm =>
  inventoryVm(name, { zone: null, image: null, vcpus: null, memoryMiB: null, ...overrides });

const lines = (csv: string) => csv.split('\r\n');

describe('VM inventory CSV', () => {
  it('starts with the header row', () => {
    expect(lines(vmInventoryCsv([]))[0]).toBe(
      'id,name,state,instance type,vCPUs,memory MiB,zone,image,launched,pod namespace,pod name,node,PeerPod,orphan,orphan reason',
    );
    expect(VM_CSV_HEADER).toHaveLength(15);
  });

  it('writes one row per VM, in the order given, every field in its column', () => {
    const csv = vmInventoryCsv([
      vm('podvm-web-1a2b3c4d', {
        id: 'i-0abc',
        instanceType: 'm6a.large',
        vcpus: 2,
        memoryMiB: 8192,
        zone: 'us-east-2a',
        image: 'ami-0123456789abcdef0',
        launchedAt: '2025-01-01T10:00:00.000Z',
        pod: { namespace: 'demo', name: 'web' },
        nodeName: 'worker-0',
        peerPod: { namespace: 'demo', name: 'web-peer' },
      }),
      vm('podvm-old-99999999', { id: 'i-0old', orphan: true, orphanReason: 'nobody claims it' }),
    ]);

    expect(lines(csv).slice(1)).toEqual([
      'i-0abc,podvm-web-1a2b3c4d,running,m6a.large,2,8192,us-east-2a,ami-0123456789abcdef0,2025-01-01T10:00:00.000Z,demo,web,worker-0,demo/web-peer,false,',
      'i-0old,podvm-old-99999999,running,,,,,,,,,,,true,nobody claims it',
      '',
    ]);
  });

  it('ends every line, the last one too, with CRLF', () => {
    const csv = vmInventoryCsv([vm('podvm-a'), vm('podvm-b')]);

    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('leaves a missing value empty', () => {
    expect(csvField(null)).toBe('');
  });

  it.each([
    ['a comma', 'Standard_D2s_v5,spot', '"Standard_D2s_v5,spot"'],
    ['a quote, doubled', 'the "forgotten" job', '"the ""forgotten"" job"'],
    ['a line feed', 'first line\nsecond line', '"first line\nsecond line"'],
    ['a carriage return', 'first\rsecond', '"first\rsecond"'],
  ])('quotes a field with %s', (_what, value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('leaves a plain field unquoted', () => {
    expect(csvField('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g')).toBe(
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
    );
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'keeps a spreadsheet from running the text %j as a formula',
    (value) => {
      expect(csvField(value).replace(/^"/, '').startsWith("'")).toBe(true);
    },
  );

  it('guards a formula and still quotes what needs quoting', () => {
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
  });

  it('writes numbers and booleans as they are, a negative number too', () => {
    expect([csvField(-1), csvField(2), csvField(true), csvField(false)]).toEqual(['-1', '2', 'true', 'false']);
  });

  it('names the file after the local date and time, zero-padded', () => {
    expect(vmInventoryCsvFileName(new Date(2025, 0, 2, 3, 4, 5))).toBe('peer-pod-vms-20250102-030405.csv');
    expect(vmInventoryCsvFileName(new Date(2025, 11, 31, 23, 59, 59))).toBe('peer-pod-vms-20251231-235959.csv');
  });
});
