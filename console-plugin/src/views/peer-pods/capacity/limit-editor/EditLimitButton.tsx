import type { FC } from 'react';
import { Button, Tooltip } from '@patternfly/react-core';
import { PencilAltIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';

import type { AccessState } from '../../../../hooks/useCanEditPeerPodLimit';
import { DEFAULT_PEER_POD_CONFIG } from '../../../../models/PeerPodConfig';

/** Opens the limit editor; without the permission it stays visible but explains what is missing. */
const EditLimitButton: FC<{ access: AccessState; onClick: () => void }> = ({ access, onClick }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const button = (
    <Button
      variant="secondary"
      icon={<PencilAltIcon />}
      onClick={onClick}
      isAriaDisabled={!access.allowed}
      isLoading={access.loading}
    >
      {t('Edit limit')}
    </Button>
  );
  if (access.allowed || access.loading) return button;
  return (
    <Tooltip
      content={t(
        'Changing the limit needs the permission to patch peerpodconfigs in the namespace {{namespace}}. Ask a cluster administrator for it.',
        { namespace: DEFAULT_PEER_POD_CONFIG.namespace },
      )}
    >
      {button}
    </Tooltip>
  );
};

export default EditLimitButton;
