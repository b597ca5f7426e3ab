import { type ComponentProps, type FC, useState } from 'react';
import { ClipboardCopyButton, CodeBlock, CodeBlockAction, CodeBlockCode } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { useStableId } from '../hooks/useStableId';

type CopyableCodeBlockProps = {
  /** Exact text to show and copy (YAML, shell commands): never translated. */
  code: string;
  /** Names the copy button for assistive technology, e.g. "Copy the PeerPodConfig YAML". */
  copyAriaLabel: string;
  /** Props of the code element, e.g. to make long text a focusable scrolling region. */
  codeProps?: Omit<ComponentProps<typeof CodeBlockCode>, 'children'>;
};

/** Multi-line code with a copy button, for YAML and commands the admin runs themselves, and console output. */
const CopyableCodeBlock: FC<CopyableCodeBlockProps> = ({ code, copyAriaLabel, codeProps }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const buttonId = useStableId();
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    await navigator.clipboard.writeText(code);
    setCopied(true);
  };

  return (
    <CodeBlock
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
      <CodeBlockCode {...codeProps}>{code}</CodeBlockCode>
    </CodeBlock>
  );
};

export default CopyableCodeBlock;
