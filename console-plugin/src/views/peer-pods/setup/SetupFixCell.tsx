import type { FC } from 'react';
import { Button, ClipboardCopy } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import type { SetupAction } from '@peer-pods-console/contract/setup-checks';

import type { SetupFix } from '../../../api/backend';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';

type SetupFixCellProps = {
  fix: SetupFix | null;
  /** The check's title, to name the copy button and the action for assistive technology. */
  checkTitle: string;
  actionLabel: (action: SetupAction) => string;
  onAction: (action: SetupAction) => void;
};

/** The fix of one check: a button to the page that fixes it, or the exact command to copy. */
const SetupFixCell: FC<SetupFixCellProps> = ({ fix, checkTitle, actionLabel, onAction }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (!fix) return <>—</>;
  if (fix.kind === 'action') {
    return (
      <Button variant="secondary" size="sm" onClick={() => onAction(fix.action)}>
        {actionLabel(fix.action)}
      </Button>
    );
  }
  const copyAriaLabel = t('Copy the command that fixes {{check}}', { check: checkTitle });
  // Commands that create an object carry their YAML on several lines.
  if (fix.command.includes('\n')) return <CopyableCodeBlock code={fix.command} copyAriaLabel={copyAriaLabel} />;
  return (
    <ClipboardCopy
      isReadOnly
      isCode
      hoverTip={t('Copy')}
      clickTip={t('Copied')}
      copyAriaLabel={copyAriaLabel}
      textAriaLabel={t('Command that fixes {{check}}', { check: checkTitle })}
    >
      {fix.command}
    </ClipboardCopy>
  );
};

export default SetupFixCell;
