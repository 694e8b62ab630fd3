// Pins the current snapshot for the whole request; 503 while none has ever been loaded.
import type { SnapshotState, StateMiddleware } from '../context';
import { assertThat } from '../relay/relay-error';
import type { SnapshotStore } from '../snapshot/snapshot-store';

export function koaSnapshot(store: SnapshotStore): StateMiddleware<SnapshotState> {
  return async (ctx, next) => {
    const snapshot = store.snapshot;
    assertThat(snapshot, 'service_unavailable', 'The gateway has no routing configuration yet. Please retry shortly.');
    ctx.state.snapshot = snapshot;
    await next();
  };
}
