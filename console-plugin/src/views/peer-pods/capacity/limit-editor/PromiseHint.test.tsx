import { render, screen } from '@testing-library/react';
import { HelperText } from '@patternfly/react-core';

import type { CapacityRoomState } from '../../../../hooks/useCapacityRoom';
import { backendCalls, capacitySummary, nodeCapacity, serveBackend } from '../../../../test/capacityFixtures';
import { capacityRoom } from '../../../../test/roomFixtures';
import { httpError } from '../../../../test/sdk-mock';
import type { PlannedChange } from './limitPromise';
import PromiseHint from './PromiseHint';

const CONFIG = { namespace: 'openshift-sandboxed-containers-operator', name: 'peerpodconfig-openshift' };
const TWELVE: PlannedChange = { kind: 'limit', config: CONFIG, limit: 12 };

type RoomReading = Pick<CapacityRoomState, 'room' | 'loaded' | 'error'>;

const roomState = (fields: Partial<RoomReading>): RoomReading => ({
  room: undefined,
  loaded: true,
  error: undefined,
  ...fields,
});

const renderHint = (changes: PlannedChange[], room: RoomReading) =>
  render(
    <HelperText>
      <PromiseHint changes={changes} room={room} />
    </HelperText>,
  );

describe('the promise of the value typed', () => {
  beforeEach(() => {
    serveBackend({ '/capacity': capacitySummary([nodeCapacity('worker-a'), nodeCapacity('worker-b')]) });
  });

  it('counts VMs only, and says why, when the cloud did not describe the VM size', async () => {
    renderHint([TWELVE], roomState({ room: capacityRoom({ vcpusPerVm: null }) }));

    expect(
      await screen.findByText(
        'With this limit, the nodes promise 24 VMs; their vCPUs cannot be counted: the cloud did not describe the VM size m6a.large',
      ),
    ).toBeInTheDocument();
  });

  it("passes on the backend's reason when it could read neither sizes nor quotas", async () => {
    const room = capacityRoom({
      vcpusPerVm: null,
      freeVcpus: null,
      error: { code: 'CloudSettingsMissing', message: 'peer-pods-secret has no AWS_ACCESS_KEY_ID' },
    });
    renderHint([TWELVE], roomState({ room }));

    expect(
      await screen.findByText(
        'With this limit, the nodes promise 24 VMs; their vCPUs cannot be counted: peer-pods-secret has no AWS_ACCESS_KEY_ID',
      ),
    ).toBeInTheDocument();
  });

  it('says why when the room could not be read from the backend', async () => {
    renderHint([TWELVE], roomState({ error: httpError(503, 'the backend is starting') }));

    expect(
      await screen.findByText(
        'With this limit, the nodes promise 24 VMs; their vCPUs cannot be counted: the backend is starting',
      ),
    ).toBeInTheDocument();
  });

  it('counts over the capacity its editor is given, and reads none itself', async () => {
    render(
      <HelperText>
        <PromiseHint
          changes={[TWELVE]}
          room={roomState({ room: capacityRoom() })}
          clusterCapacity={{ summary: capacitySummary([nodeCapacity('worker-a')]) }}
        />
      </HelperText>,
    );

    expect(await screen.findByText(/the nodes promise 12 VMs/)).toBeInTheDocument();
    expect(backendCalls()).not.toContain('/capacity');
  });

  it('says nothing until the room is read', async () => {
    const hint = (room: RoomReading) => (
      <HelperText>
        <PromiseHint changes={[TWELVE]} room={room} />
      </HelperText>
    );
    const { rerender } = render(hint(roomState({ room: capacityRoom() })));
    expect(await screen.findByText(/the nodes promise 24 VMs/)).toBeInTheDocument();

    rerender(hint(roomState({ loaded: false })));

    expect(screen.queryByText(/the nodes promise/)).not.toBeInTheDocument();
  });
});
