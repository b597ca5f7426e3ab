import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { wholeCodeIn } from '../test/codeBlock';
import CopyableCodeBlock from './CopyableCodeBlock';

const COMMAND =
  'aws ec2 authorize-security-group-ingress --region us-east-2 --group-id sg-0123456789abcdef0 --protocol tcp --port 9000 --source-group sg-0123456789abcdef0';

describe('CopyableCodeBlock', () => {
  it('shows the code whole, named, and copies it as one string', async () => {
    const user = userEvent.setup();
    render(<CopyableCodeBlock code={COMMAND} ariaLabel="Command 1" copyAriaLabel="Copy command 1" />);

    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 1' }))).toBe(COMMAND);
    await user.click(screen.getByRole('button', { name: 'Copy command 1' }));

    expect(await navigator.clipboard.readText()).toBe(COMMAND);
  });

  it('wraps a command between its words only, so that no id or flag is split at its hyphen', () => {
    render(<CopyableCodeBlock code={COMMAND} ariaLabel="Command 1" copyAriaLabel="Copy" wrapBetweenWords />);

    for (const word of ['authorize-security-group-ingress', '--port', 'sg-0123456789abcdef0']) {
      for (const shown of screen.getAllByText(word)) expect(shown).toHaveClass('peer-pods-console-plugin__code-word');
    }
    expect(wholeCodeIn(screen.getByRole('group', { name: 'Command 1' }))).toBe(COMMAND);
  });

  it('keeps the lines of YAML and console output as they are', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\n';
    render(<CopyableCodeBlock code={yaml} ariaLabel="YAML" copyAriaLabel="Copy" />);

    expect(wholeCodeIn(screen.getByRole('group', { name: 'YAML' }))).toBe(yaml);
    expect(
      screen.getByRole('group', { name: 'YAML' }).querySelector('.peer-pods-console-plugin__code-word'),
    ).toBeNull();
  });
});
