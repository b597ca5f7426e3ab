import { type ComponentProps, type FC, useState } from 'react';
import { ClipboardCopyButton, CodeBlock, CodeBlockAction, CodeBlockCode } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { useStableId } from '../hooks/useStableId';
import './copyableCodeBlock.css';

type CopyableCodeBlockProps = {
  /** Exact text to show and copy (YAML, shell commands): never translated. */
  code: string;
  /** Names the copy button for assistive technology, e.g. "Copy the PeerPodConfig YAML". */
  copyAriaLabel: string;
  /** Names the block itself, e.g. "Command 1", where several sit side by side. */
  ariaLabel?: string;
  /** Shell commands: lines wrap between words only, never at the hyphen of an id or a flag. */
  wrapBetweenWords?: boolean;
  /** Props of the code element, e.g. to make long text a focusable scrolling region. */
  codeProps?: Omit<ComponentProps<typeof CodeBlockCode>, 'children'>;
};

/** The code with each word in a box that wraps as one (the text, as read and selected, is unchanged). */
const inWords = (code: string) =>
  code.split(/(\s+)/).map((part, index) =>
    index % 2 === 1 || part === '' ? (
      part
    ) : (
      <span key={index} className="peer-pods-console-plugin__code-word">
        {part}
      </span>
    ),
  );

/**
 * Code with a copy button, for YAML and commands the admin runs themselves, and console output.
 * Long lines wrap, never cut off: a command is read and copied whole, however narrow the column.
 */
const CopyableCodeBlock: FC<CopyableCodeBlockProps> = ({
  code,
  copyAriaLabel,
  ariaLabel,
  wrapBetweenWords = false,
  codeProps,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const buttonId = useStableId();
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    await navigator.clipboard.writeText(code);
    setCopied(true);
  };

  return (
    <CodeBlock
      {...(ariaLabel ? { role: 'group', 'aria-label': ariaLabel } : {})}
      actions={
        <CodeBlockAction>
          <ClipboardCopyButton
            id={buttonId}
            aria-label={copyAriaLabel}
            onClick={() => void copy()}
            exitDelay={copied ? 1500 : 600}
            variant="plain"
            onTooltipHidden={() => setCopied(false)}
          >
            {copied ? t('Copied') : t('Copy')}
          </ClipboardCopyButton>
        </CodeBlockAction>
      }
    >
      <CodeBlockCode {...codeProps}>{wrapBetweenWords ? inWords(code) : code}</CodeBlockCode>
    </CodeBlock>
  );
};

export default CopyableCodeBlock;
