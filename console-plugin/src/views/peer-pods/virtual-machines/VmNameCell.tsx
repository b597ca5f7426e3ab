import { type FC, useState } from 'react';
import { ClipboardCopyButton, Content, Stack, StackItem, Truncate } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

import { useStableId } from '../../../hooks/useStableId';
import type { InventoryVm } from './vmInventoryRows';
import './vmInventoryTable.css';

/**
 * An EC2 instance id (19 characters) shows whole; an Azure VM's ARM resource id (over 150) shows
 * its beginning and end, whole in the tooltip and in what the button copies.
 */
const ID_CHARS_SHOWN = 20;

/** The VM's name, wrapping at its hyphens, and under it its cloud id on one line, with a copy button. */
const VmNameCell: FC<{ vm: Pick<InventoryVm, 'id' | 'name'> }> = ({ vm }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const buttonId = useStableId();
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    await navigator.clipboard.writeText(vm.id);
    setCopied(true);
  };

  return (
    <Stack>
      <StackItem>{vm.name}</StackItem>
      <StackItem>
        {/* An id never wraps: read in one piece, it is what the cloud's console is searched for. */}
        <Content component="small" className="peer-pods-console-plugin__vm-id">
          {vm.id.length > ID_CHARS_SHOWN ? (
            <Truncate content={vm.id} maxCharsDisplayed={ID_CHARS_SHOWN} position="middle" />
          ) : (
            vm.id
          )}{' '}
          <ClipboardCopyButton
            id={buttonId}
            aria-label={t('Copy the ID of {{name}}', { name: vm.name })}
            onClick={() => void copy()}
            exitDelay={copied ? 1500 : 600}
            variant="plain"
            hasNoPadding
            onTooltipHidden={() => setCopied(false)}
          >
            {copied ? t('Copied') : t('Copy')}
          </ClipboardCopyButton>
        </Content>
      </StackItem>
    </Stack>
  );
};

export default VmNameCell;
