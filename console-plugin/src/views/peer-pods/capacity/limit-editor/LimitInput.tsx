import { type FC, type ReactNode, useState } from 'react';
import {
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  TextInput,
  type TextInputProps,
} from '@patternfly/react-core';
import { useTranslation } from 'react-i18next';
import { MAX_LIMIT, OPENSHIFT_DEFAULT_MAX_PODS, type LimitCheck } from '@peer-pods-console/contract/capacity';

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

/**
 * A VM limit field: digits only, with the rule it breaks under it. An empty field says nothing
 * until the admin has typed or left it: an error before any input only startles.
 */
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
  const [touched, setTouched] = useState(false);
  const showsProblem = !validation.ok && (touched || value.trim() !== '');
  const problemText = (() => {
    if (validation.ok || !showsProblem) return undefined;
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
          'The limit can be at most {{max}}: each peer pod is also a pod on its node, and a node runs no more pods than its maxPods ({{maxPods}} by default on OpenShift). Enter {{max}} or less.',
          { max: MAX_LIMIT, maxPods: OPENSHIFT_DEFAULT_MAX_PODS },
        );
    }
  })();
  return (
    <FormGroup label={label} isRequired fieldId={id}>
      <TextInput
        id={id}
        value={value}
        onChange={(_event, next) => {
          setTouched(true);
          onChange(next);
        }}
        onBlur={() => setTouched(true)}
        inputMode="numeric"
        validated={problemText ? 'error' : 'default'}
        isDisabled={isDisabled}
        autoFocus={autoFocus}
        aria-describedby={`${id}-helper`}
      />
      <FormHelperText>
        <HelperText id={`${id}-helper`}>
          <HelperTextItem variant={problemText ? 'error' : 'default'}>{problemText ?? help}</HelperTextItem>
          {validation.ok && <ValueHint value={validation.value} />}
          {hint}
        </HelperText>
      </FormHelperText>
    </FormGroup>
  );
};

/** What a valid value that is easy to misread means: 0, or more pods than a node runs by default. */
const ValueHint: FC<{ value: number }> = ({ value }) => {
  const { t } = useTranslation('plugin__peer-pods-console-plugin');
  if (value === 0) {
    return (
      <HelperTextItem>
        {t('With 0, no new peer pod VM starts; the peer pods that run now keep running.')}
      </HelperTextItem>
    );
  }
  if (value <= OPENSHIFT_DEFAULT_MAX_PODS) return null;
  return (
    <HelperTextItem variant="warning" screenReaderText={t('Warning')}>
      {t(
        'An OpenShift node runs at most {{maxPods}} pods by default, its other pods included: a node reaches this limit only if its maxPods was raised.',
        { maxPods: OPENSHIFT_DEFAULT_MAX_PODS },
      )}
    </HelperTextItem>
  );
};

export default LimitInput;
