/**
 * The text a code block shows (CopyableCodeBlock: a command's words sit in boxes of their own), as
 * one string, once it is known to be shown whole: in a `pre`, not a one-line field, nothing truncated.
 */
export const wholeCodeIn = (block: HTMLElement): string => {
  const code = block.querySelector('pre');
  if (!code) throw new Error('no code in this block');
  expect(block.querySelector('[class*="truncate"], input, textarea')).toBeNull();
  return code.textContent ?? '';
};
