import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { AutoRevert, ChannelValue, PendingKeep, StandingRevert } from '../../common';
import type { Bridge } from '../bridge';

/** How often the wizard asks whether a switch waits for an answer. */
const POLL_MS = 2000;

export interface KeepTrial {
  /** The switch waiting for "Keep it", if any. */
  pending: PendingKeep | null;
  /** The last switch nobody kept, once the engine went back; null again when a new one waits. */
  reverted: AutoRevert | null;
  busy: boolean;
  keep(): Promise<void>;
  /** Asks again at once (the deadline just passed). */
  refresh(): void;
}

/**
 * The revert a listing tells of, while the profile still stands where it went back to: a page
 * opened after it (reloaded, or through a new tunnel once the switch took the old one down)
 * still says why the machine is not on the generation it was asked to try.
 */
export function standingRevert(listing: ChannelValue<'generations.list'>): AutoRevert | null {
  const { reverted, generations } = listing;
  if (!reverted) return null;
  return generations.find((g) => g.current)?.number === reverted.revertTo ? reverted : null;
}

/**
 * The revert of a trial nobody answered, once the engine went back, from what every poll
 * already brings: the revert may come long after the question went (it waits for a build that
 * holds the rebuild lock, for as long as that build takes).
 */
export function revertOf(trial: PendingKeep, standing: StandingRevert[]): AutoRevert | null {
  const back = standing.find(
    (r) =>
      r.profile === trial.profile &&
      r.generation === trial.generation &&
      r.revertTo === trial.revertTo,
  );
  return back ? autoRevert(back) : null;
}

/** The revert as the page tells it, without the profile it stands on. */
function autoRevert({ profile: _profile, ...revert }: StandingRevert): AutoRevert {
  return revert;
}

const KeepTrialContext = createContext<KeepTrial>({
  pending: null,
  reverted: null,
  busy: false,
  keep: async () => {},
  refresh: () => {},
});

/**
 * One watch of the "Keep this configuration?" trials for the wizard's screens: the prompt shown
 * on every screen and the Build and switch outcome read the same answer from one poll.
 */
export function KeepTrialProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  const [pending, setPending] = useState<PendingKeep | null>(null);
  const [reverted, setReverted] = useState<AutoRevert | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef<PendingKeep | null>(null);
  // A question that went away unanswered, until the engine is seen to have gone back: its revert
  // may still be running, or waiting for a build, when the question goes.
  const unanswered = useRef<PendingKeep | null>(null);
  const firstPoll = useRef(true);

  const poll = useCallback(async () => {
    const result = await bridge.pendingGenerations({});
    if (!result.ok) return;
    const now = result.value.pending[0] ?? null;
    // A page opened after a revert (reloaded, or through a new tunnel once the switch took the
    // old one down) still says why the machine is not on the generation it was asked to try.
    if (firstPoll.current && !now) {
      const standing = result.value.reverted[0];
      if (standing) setReverted(autoRevert(standing));
    }
    firstPoll.current = false;
    if (asked.current && !now) unanswered.current = asked.current;
    asked.current = now;
    setPending(now);
    if (now) {
      unanswered.current = null;
      setReverted(null);
    }
    const back = unanswered.current && revertOf(unanswered.current, result.value.reverted);
    if (back) {
      unanswered.current = null;
      setReverted(back);
    }
  }, [bridge]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  const keep = useCallback(async () => {
    const trial = asked.current;
    if (!trial) return;
    setBusy(true);
    // Answered here: nothing to learn about a revert when the question goes.
    asked.current = null;
    await bridge.keepGeneration({ profile: trial.profile });
    setBusy(false);
    void poll();
  }, [bridge, poll]);

  const value = useMemo(
    () => ({ pending, reverted, busy, keep, refresh: () => void poll() }),
    [pending, reverted, busy, keep, poll],
  );
  return <KeepTrialContext.Provider value={value}>{children}</KeepTrialContext.Provider>;
}

export function useKeepTrial(): KeepTrial {
  return useContext(KeepTrialContext);
}
