/**
 * Some browsers read a blob URL for a download only after the click's task has ended, so the URL
 * lives a while longer before it is released.
 */
export const OBJECT_URL_LIFETIME_MS = 30_000;

/** Lets the browser save `text` as a file named `fileName`, as a link with `download` does. */
export const saveTextFile = (fileName: string, text: string, mimeType: string): void => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFETIME_MS);
};
