import { OBJECT_URL_LIFETIME_MS, saveTextFile } from './saveTextFile';

describe('saveTextFile', () => {
  const createObjectURL = vi.fn<(blob: Blob) => string>(() => 'blob:saved-file');
  const revokeObjectURL = vi.fn<(url: string) => void>();
  let clicked: HTMLAnchorElement[];

  beforeEach(() => {
    vi.useFakeTimers();
    // jsdom has no object URLs and no navigation: stand in for both.
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    clicked = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    createObjectURL.mockClear();
    revokeObjectURL.mockClear();
  });

  it('clicks a download link to a blob of the text, under the file name', async () => {
    saveTextFile('peer-pod-vms.csv', 'id,name\r\n', 'text/csv;charset=utf-8');

    expect(clicked).toHaveLength(1);
    expect(clicked[0]!.download).toBe('peer-pod-vms.csv');
    expect(clicked[0]!.href).toBe('blob:saved-file');
    const blob = createObjectURL.mock.calls[0]![0];
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(await blob.text()).toBe('id,name\r\n');
  });

  it('leaves no link behind in the page', () => {
    saveTextFile('peer-pod-vms.csv', 'id\r\n', 'text/csv');

    expect(clicked[0]!.isConnected).toBe(false);
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });

  it('releases the object URL once the browser has had time to read it', () => {
    saveTextFile('peer-pod-vms.csv', 'id\r\n', 'text/csv');
    expect(revokeObjectURL).not.toHaveBeenCalled();

    vi.advanceTimersByTime(OBJECT_URL_LIFETIME_MS);

    expect(revokeObjectURL).toHaveBeenCalledWith('blob:saved-file');
  });
});
