import { useEffect, useState } from 'react';
import type { AutoRevert } from '../../common';
import type { Bridge } from '../bridge';

/** How often a finished switch asks whether it is still on trial. */
const POLL_MS = 2000;
/** How many looks at the list, once the switch is off trial, for its revert to be recorded. */
const REVERT_POLLS = 15;

/**
 * The revert of a switch nobody kept, once the engine has made it; null while the switch is on
 * trial, when it was kept, or when `runId` is null (nothing to watch). The trial is armed after
 * the run ends and its revert is recorded after the question goes, so both are waited for.
 */
export function useUnkeptRevert(
  bridge: Bridge,
  runId: string | null,
  generation: number | null,
): AutoRevert | null {
  const [reverted, setReverted] = useState<AutoRevert | null>(null);

  useEffect(() => {
    setReverted(null);
    if (runId === null || generation === null) return;
    let profile: string | undefined;
    let polls = REVERT_POLLS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;

    async function look(): Promise<void> {
      const pending = await bridge.pendingGenerations({});
      const trial = pending.ok ? pending.value.pending.find((p) => p.runId === runId) : undefined;
      if (trial) {
        profile = trial.profile;
        polls = REVERT_POLLS;
      } else {
        const listed = await bridge.listGenerations(profile ? { profile } : {});
        const back = listed.ok ? listed.value.reverted : null;
        if (back && back.generation === generation) {
          if (live) setReverted(back);
          return;
        }
        polls -= 1;
        if (polls <= 0) return;
      }
      if (live) timer = setTimeout(() => void look(), POLL_MS);
    }

    void look();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, runId, generation]);

  return reverted;
}
