import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { wholeCodeIn } from '../../../test/codeBlock';
import SetupFixCell from './SetupFixCell';

// As long as the fixes the backend sends: far more than the Fix column's width.
const PATCH_CONFIG_MAP =
  'oc patch configmap peer-pods-cm -n openshift-sandboxed-containers-operator --type merge -p \'{"data":{"PEERPODS_LIMIT_PER_NODE":"10"}}\'';

const renderFix = (command: string) =>
  render(
    <SetupFixCell
      fix={{ kind: 'command', command }}
      checkTitle="Peer pods ConfigMap"
      actionLabel={() => 'unused'}
      onAction={() => undefined}
    />,
  );

describe('SetupFixCell', () => {
  it('shows a one-line command whole, in a code block that wraps, not in a field that cuts it off', () => {
    renderFix(PATCH_CONFIG_MAP);

    const block = screen.getByRole('group', { name: 'Command that fixes Peer pods ConfigMap' });
    expect(wholeCodeIn(block)).toBe(PATCH_CONFIG_MAP);
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('copies the command as one string', async () => {
    const user = userEvent.setup();
    renderFix(PATCH_CONFIG_MAP);

    await user.click(screen.getByRole('button', { name: 'Copy the command that fixes Peer pods ConfigMap' }));

    expect(await navigator.clipboard.readText()).toBe(PATCH_CONFIG_MAP);
  });

  it('offers the page that fixes the check as a button', async () => {
    const user = userEvent.setup();
    const onAction = vi.fn();
    render(
      <SetupFixCell
        fix={{ kind: 'action', action: 'open-port-wizard' }}
        checkTitle="Ports"
        actionLabel={() => 'Open the port wizard'}
        onAction={onAction}
      />,
    );

    await user.click(screen.getByRole('button', { name: 'Open the port wizard' }));

    expect(onAction).toHaveBeenCalledWith('open-port-wizard');
  });
});
