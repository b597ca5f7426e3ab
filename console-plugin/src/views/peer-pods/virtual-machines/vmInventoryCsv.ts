// The VM inventory as a CSV file (RFC 4180), kept pure so the quoting rules are testable on their own.
import type { InventoryVm } from './vmInventoryRows';

// Column names stay English whatever the console language: scripts and spreadsheets key on them.
export const VM_CSV_HEADER = [
  'id',
  'name',
  'state',
  'instance type',
  'vCPUs',
  'memory MiB',
  'zone',
  'image',
  'launched',
  'pod namespace',
  'pod name',
  'node',
  'PeerPod',
  'orphan',
  'orphan reason',
] as const;

type CsvValue = string | number | boolean | null;

/** A spreadsheet would run a cell that starts like this as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Quotes a field when it holds a comma, a quote or a line break; doubles its quotes. */
export const csvField = (value: CsvValue): string => {
  if (value === null) return '';
  // Only text can carry a formula; a number such as -1 stays a number.
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const vmCsvRow = (vm: InventoryVm): CsvValue[] => [
  vm.id,
  vm.name,
  vm.state,
  vm.instanceType,
  vm.vcpus,
  vm.memoryMiB,
  vm.zone,
  vm.image,
  vm.launchedAt,
  vm.pod?.namespace ?? null,
  vm.pod?.name ?? null,
  vm.nodeName,
  vm.peerPod ? `${vm.peerPod.namespace}/${vm.peerPod.name}` : null,
  vm.orphan,
  vm.orphanReason,
];

/** A header row, then one row per VM in the order given; every line ends in CRLF. */
export const vmInventoryCsv = (vms: readonly InventoryVm[]): string =>
  [[...VM_CSV_HEADER], ...vms.map(vmCsvRow)].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');

const twoDigits = (value: number): string => String(value).padStart(2, '0');

/** `peer-pod-vms-<YYYYMMDD-HHmmss>.csv`, in the user's local time. */
export const vmInventoryCsvFileName = (at: Date): string => {
  const date = `${at.getFullYear()}${twoDigits(at.getMonth() + 1)}${twoDigits(at.getDate())}`;
  const time = `${twoDigits(at.getHours())}${twoDigits(at.getMinutes())}${twoDigits(at.getSeconds())}`;
  return `peer-pod-vms-${date}-${time}.csv`;
};
