import { useEffect, useId, useState } from 'react';
import type { NixstrapError, RunSummary } from '../../common';
import type { Bridge } from '../bridge';
import { Sentence } from './Sentence';

/** What the ledger records as built: the generation the run made, else the run's build. */
const builtName = (generation: number | null) =>
  generation === null ? 'the build' : `generation ${generation}`;

interface CommitLockProps {
  bridge: Bridge;
  runId: string;
  /** The run as the ledger now records it, built from the new commit. */
  onCommitted?: (run: RunSummary) => void;
}

/**
 * "Commit flake.lock" for a run whose build wrote the lock: the engine commits that file alone
 * on the commit built from. Then the new commit, or the engine's sentence for why not.
 */
export function CommitLockButton({ bridge, runId, onCommitted }: CommitLockProps) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RunSummary | null>(null);
  const [refused, setRefused] = useState<NixstrapError | null>(null);
  // What the engine would refuse before it is asked (the lock on disk is not the one built
  // with, the repo moved on): a button that could only be refused is off, the reason beside it.
  const [unavailable, setUnavailable] = useState<NixstrapError | null>(null);
  const reasonId = useId();
  useEffect(() => {
    let live = true;
    void bridge.checkLockCommit({ runId }).then((checked) => {
      if (live && checked.ok) setUnavailable(checked.value.refusal);
    });
    return () => {
      live = false;
    };
  }, [bridge, runId]);
  const commit = async () => {
    setBusy(true);
    setRefused(null);
    const result = await bridge.commitLock({ runId });
    setBusy(false);
    if (!result.ok) {
      setRefused(result.error);
      return;
    }
    setDone(result.value);
    onCommitted?.(result.value);
  };
  if (done) {
    return (
      <p className="commit-lock-done" role="status" data-testid="commit-lock-done">
        Committed flake.lock as{' '}
        <code title={done.commit ?? undefined}>{done.commit?.slice(0, 12)}</code> ({done.subject}):{' '}
        {builtName(done.generation)} is recorded as built from that commit
        {done.dirty ? ', with the other uncommitted changes it was built with' : ''}.
      </p>
    );
  }
  return (
    <div className="commit-lock">
      <button
        type="button"
        className="button button-secondary"
        disabled={busy || unavailable !== null}
        aria-describedby={unavailable ? reasonId : undefined}
        onClick={() => void commit()}
        data-testid="commit-lock"
      >
        {busy ? 'Committing flake.lock…' : 'Commit flake.lock'}
      </button>
      {unavailable && !refused && (
        <p className="field-help" id={reasonId} data-testid="commit-lock-unavailable">
          <Sentence text={unavailable.message} /> <Sentence text={unavailable.hint} />
        </p>
      )}
      {refused && (
        <p className="commit-lock-refused" role="alert" data-testid="commit-lock-refused">
          <Sentence text={refused.message} /> <Sentence text={refused.hint} />
        </p>
      )}
    </div>
  );
}

/**
 * The offer at the end of a run whose build wrote flake.lock its commit lacks (a first build, an
 * input added): nothing when it wrote none. The ledger says which, once the run is over.
 */
export function RunLockCommit({
  bridge,
  runId,
  generation,
}: {
  bridge: Bridge;
  runId: string;
  generation: number | null;
}) {
  const [lockWritten, setLockWritten] = useState(false);
  useEffect(() => {
    let live = true;
    void bridge.listRuns({}).then((runs) => {
      if (live && runs.ok) {
        setLockWritten(runs.value.some((run) => run.id === runId && run.lockWritten === true));
      }
    });
    return () => {
      live = false;
    };
  }, [bridge, runId]);
  if (!lockWritten) return null;
  return (
    <div className="outcome-lock" data-testid="outcome-lock">
      <p>
        This build wrote flake.lock, which is not committed, so {builtName(generation)} is recorded
        as built from uncommitted changes. Committing it (that file alone) makes its commit build
        the same.
      </p>
      <CommitLockButton bridge={bridge} runId={runId} />
    </div>
  );
}
