import { type FC } from 'react';
import { Timestamp } from '@openshift-console/dynamic-plugin-sdk';
import { Alert, Content, Stack, StackItem } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import RefreshButton from '../../../components/RefreshButton';

import BackendProblemAlert from '../../../components/BackendProblemAlert';
import { backendProblemOf } from '../../../components/backendProblem';
import ConfirmModal from '../../../components/ConfirmModal';
import CopyableCodeBlock from '../../../components/CopyableCodeBlock';
import LoadingState from '../../../components/LoadingState';
import { useStableId } from '../../../hooks/useStableId';
import { useVmConsoleOutput } from '../../../hooks/useVmConsoleOutput';
import './vmConsoleOutput.css';

type VmConsoleOutputModalProps = {
  vmId: string;
  /** "<namespace>/<name>" of the VM's pod, for the title's description. */
  podLabel: string;
  onClose: () => void;
};

/** A pod VM's serial console, as the cloud captured it: what the VM printed while it booted. */
const VmConsoleOutputModal: FC<VmConsoleOutputModalProps> = ({ vmId, podLabel, onClose }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const titleId = useStableId();
  const { output, loaded, error, refresh, refreshing } = useVmConsoleOutput(vmId);

  const body = (() => {
    if (error !== undefined && error !== null) {
      return (
        <BackendProblemAlert
          title={t('Could not read the console output')}
          problem={backendProblemOf(error)}
          forbiddenExplanation={t(
            'Reading the console output of a VM needs permission to list nodes and pods in the whole cluster and to read the cloud credentials Secret. Ask a cluster administrator for them.',
          )}
          onRetry={refresh}
        />
      );
    }
    if (!loaded || !output) return <LoadingState label={t('Loading the console output')} />;
    if (output.unavailable !== null) {
      return (
        <Alert variant="info" isInline title={t('No console output for this VM')}>
          {output.unavailable}
        </Alert>
      );
    }
    if (output.output === '') {
      return (
        <Alert variant="info" isInline title={t('The cloud has no console output for this VM yet')}>
          {t('A VM that has just started has printed nothing the cloud captured. Read it again in a minute.')}
        </Alert>
      );
    }
    return (
      <Stack hasGutter>
        {output.capturedAt && (
          <StackItem>
            <Content component="small">
              {t('Captured')} <Timestamp timestamp={output.capturedAt} />
            </Content>
          </StackItem>
        )}
        {output.truncated && (
          <StackItem>
            <Alert
              variant="info"
              isInline
              isPlain
              title={t("Only the end of the output is shown: the cloud's console output is longer.")}
            />
          </StackItem>
        )}
        <StackItem>
          <ConsoleOutputBlock text={output.output} vmId={vmId} />
        </StackItem>
      </Stack>
    );
  })();

  return (
    <ConfirmModal
      titleId={titleId}
      title={t('Console output of VM {{vm}}', { vm: vmId })}
      description={t('The VM of the peer pod {{pod}}', { pod: podLabel })}
      variant="medium"
      onClose={onClose}
    >
      <Stack hasGutter>
        <StackItem>
          <RefreshButton size="sm" onClick={refresh} refreshing={refreshing} loaded={loaded}>
            {t('Read again')}
          </RefreshButton>
        </StackItem>
        <StackItem>{body}</StackItem>
      </Stack>
    </ConfirmModal>
  );
};

/** The text in a monospace block that scrolls within the dialog, with a copy button that stays in view. */
const ConsoleOutputBlock: FC<{ text: string; vmId: string }> = ({ text, vmId }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <CopyableCodeBlock
      code={text}
      copyAriaLabel={t('Copy the console output of VM {{vm}}', { vm: vmId })}
      codeProps={{
        className: 'peer-pods-console-plugin__console-output',
        // A scrolling region: focusable, so that keyboard users can scroll it too.
        role: 'region',
        tabIndex: 0,
        'aria-label': t('Console output of VM {{vm}}', { vm: vmId }),
      }}
    />
  );
};

export default VmConsoleOutputModal;
