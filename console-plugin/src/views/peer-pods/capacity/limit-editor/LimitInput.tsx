import type { FC, ReactNode } from 'react';
import {
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  TextInput,
  type TextInputProps,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { MAX_LIMIT, type LimitCheck } from '@peer-pods-console/contract/capacity';

type LimitInputProps = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  validation: LimitCheck;
  /** Shown while the value is valid: what the number means. */
  help: string;
  /** Helper text items under the help, e.g. what the value promises (PromiseHint). */
  hint?: ReactNode;
  isDisabled?: boolean;
} & Pick<TextInputProps, 'autoFocus'>;

/** A VM limit field: digits only, with the rule it breaks under it. */
const LimitInput: FC<LimitInputProps> = ({
  id,
  label,
  value,
  onChange,
  validation,
  help,
  hint,
  isDisabled,
  autoFocus,
}) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  const problemText = (() => {
    if (validation.ok) return undefined;
    switch (validation.problem) {
      case 'empty':
        return t('Enter a number of VMs, for example 10.');
      case 'negative':
        return t('The limit cannot be negative. Enter 0 or more; 0 stops new peer pods.');
      case 'not-whole':
        return t('The limit counts whole VMs. Enter a whole number, for example 10.');
      case 'not-a-number':
        return t('Enter digits only, for example 10.');
      case 'too-large':
        return t(
          'The limit can be at most {{max}}: each peer pod is also a pod on its node, and a node runs at most its pod capacity (250 by default on OpenShift).',
          { max: MAX_LIMIT },
        );
    }
  })();
  return (
    <FormGroup label={label} isRequired fieldId={id}>
      <TextInput
        id={id}
        value={value}
        onChange={(_event, next) => onChange(next)}
        inputMode="numeric"
        validated={validation.ok ? 'default' : 'error'}
        isDisabled={isDisabled}
        autoFocus={autoFocus}
        aria-describedby={`${id}-helper`}
      />
      <FormHelperText>
        <HelperText id={`${id}-helper`}>
          <HelperTextItem variant={validation.ok ? 'default' : 'error'}>{problemText ?? help}</HelperTextItem>
          {hint}
        </HelperText>
      </FormHelperText>
    </FormGroup>
  );
};

export default LimitInput;
