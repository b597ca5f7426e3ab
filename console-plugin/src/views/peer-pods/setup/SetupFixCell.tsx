import type { FC } from 'react';
import { Button } from '@patternfly/react-core';
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
  // A code block, not a one-line field: the command wraps in the narrow column instead of hiding its end.
  return (
    <CopyableCodeBlock
      code={fix.command}
      wrapBetweenWords
      ariaLabel={t('Command that fixes {{check}}', { check: checkTitle })}
      copyAriaLabel={t('Copy the command that fixes {{check}}', { check: checkTitle })}
    />
  );
};

export default SetupFixCell;
