import { useEffect, useState } from 'react';
import type { Bridge } from './bridge';
import { loadWatched, type WatchedRun } from './watched-run';

/**
 * The run this tab started that still goes on, while a screen other than Build and switch shows
 * (the browser's Back leaves it, the run does not stop): null when there is none, or once it ends.
 */
export function useRunGoingOn(bridge: Bridge, elsewhere: boolean): WatchedRun | null {
  const [going, setGoing] = useState<WatchedRun | null>(null);
  useEffect(() => {
    setGoing(null);
    const watched = elsewhere ? loadWatched() : null;
    if (!watched || watched.endedAt !== undefined) return;
    let live = true;
    let unsubscribe: (() => void) | null = null;
    let ended = false;
    void bridge
      .subscribeRebuild({ runId: watched.runId, fromSeq: 0 }, ({ event }) => {
        if (event.type === 'result') ended = true;
        if (live) setGoing(ended ? null : watched);
      })
      .then((result) => {
        if (!result.ok) return;
        if (live) unsubscribe = result.value;
        else result.value();
      });
    return () => {
      live = false;
      unsubscribe?.();
    };
  }, [bridge, elsewhere]);
  return going;
}
