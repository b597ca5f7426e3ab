import type { FC, ReactNode } from 'react';
import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';

export type ConfirmAction = {
  label: string;
  variant: 'primary' | 'danger';
  /** The write is in flight: the button spins. */
  busy: boolean;
  /** Defaults to `busy`. */
  isDisabled?: boolean;
} & (
  | { onClick: () => void; form?: never }
  /** Submits this form, so that Enter in its field confirms too. */
  | { form: string; onClick?: never }
);

type ConfirmModalProps = {
  /** The title's element id: the dialog's accessible name. */
  titleId: string;
  title: string;
  /** Under the title, e.g. the object the dialog changes. */
  description?: string;
  variant: 'small' | 'medium';
  /** The confirming button and Cancel; without it (done, or nothing to act on yet) a lone Close button. */
  action?: ConfirmAction;
  /** Buttons between the confirming button and Cancel, e.g. a second, destructive action. */
  otherActions?: ReactNode;
  /** The lone Close button: primary once the change is made, a link otherwise. */
  closeVariant?: 'primary' | 'link';
  onClose: () => void;
  children: ReactNode;
};

/** A dialog that says what a change does before the signed-in user confirms it, as every write of the plugin does. */
const ConfirmModal: FC<ConfirmModalProps> = ({
  titleId,
  title,
  description,
  variant,
  action,
  otherActions,
  closeVariant = 'link',
  onClose,
  children,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  return (
    <Modal isOpen onClose={onClose} variant={variant} aria-labelledby={titleId}>
      <ModalHeader title={title} labelId={titleId} description={description} />
      <ModalBody>{children}</ModalBody>
      <ModalFooter>
        {action ? (
          <>
            <Button
              key="confirm"
              variant={action.variant}
              type={action.form === undefined ? undefined : 'submit'}
              form={action.form}
              onClick={action.onClick}
              isLoading={action.busy}
              isDisabled={action.isDisabled ?? action.busy}
            >
              {action.label}
            </Button>
            {otherActions}
            <Button variant="link" onClick={onClose}>
              {t('Cancel')}
            </Button>
          </>
        ) : (
          // Its own key: a new button, not the confirming one changing its label (and its disabled look).
          <Button key="close" variant={closeVariant} onClick={onClose}>
            {t('Close')}
          </Button>
        )}
      </ModalFooter>
    </Modal>
  );
};

export default ConfirmModal;
