import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  ChannelValue,
  ClosureChanges,
  CommitCheck,
  DeletePlan,
  Generation,
  NixstrapError,
  PendingKeep,
  RollbackAction,
  RollbackPlan,
  RunEvent,
  TargetKind,
} from '../../common';
import { inputDifferences } from '../../common/flake-inputs';
import { rollbackVerb, rollbackWhen } from '../../common/rollback-verb';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { CommitLockButton } from '../components/CommitLockButton';
import { ErrorBanner } from '../components/ErrorBanner';
import { Screen } from '../components/Screen';
import { Sentence } from '../components/Sentence';
import { Spinner } from '../components/Spinner';
import { notKeptSentence } from '../rebuild-words';

/** A trial as the screen shows it: the guard's boot default changes what its question says. */
function trialKey(trial: PendingKeep | null | undefined): string | null {
  return trial ? `${trial.runId}${trial.bootsBack ? ' boots back' : ''}` : null;
}

import { answersSummary } from './answers-summary';
import { ClosureChangesView } from './ClosureChangesView';
import { DeleteDialog } from './DeleteDialog';
import { deletedResult, deleteWords } from './delete-words';
import { FlakeInputsList, InputDifferences } from './FlakeInputs';
import { CommitSource, GenerationTimeline, generationKey, when } from './GenerationTimeline';
import { KeepBanner } from './KeepBanner';
import { standingRevert } from './keep-trial';
import { choicesHint, PreviousChoices } from './PreviousChoices';
import { RollbackDialog } from './RollbackDialog';
import { RollbackRun } from './RollbackRun';
import { revertWords, rollbackWords } from './rollback-words';
import './generations.css';

type Listing = ChannelValue<'generations.list'>;
type RunResult = Extract<RunEvent, { type: 'result' }>;

/** How often the list is read again while the engine reverts an unkept configuration. */
const REVERT_POLL_MS = 1000;
/** How often the screen asks whether a trial began or ended elsewhere (another tab, the engine). */
const TRIAL_POLL_MS = 2000;

interface GenerationsScreenProps {
  bridge: Bridge;
  /** The config repo the wizard knows, to look commits up in. */
  repo: string;
}

/** What a profile holds, as its users name it. */
const PROFILE_KINDS: Record<TargetKind, string> = {
  nixos: 'NixOS system',
  'nix-darwin': 'nix-darwin system',
  'home-manager': 'Home Manager',
};

/** What a finished rollback did, said so that a try does not sound like a change of default. */
function succeeded(generation: number | null, action: RollbackAction): string {
  if (action === 'boot')
    return `Generation ${generation} is the boot default from the next boot on.`;
  if (action === 'test') {
    return `Generation ${generation} runs until the next reboot; the boot default did not change.`;
  }
  return `Generation ${generation} is in place.`;
}

/** How many of the newest generations "Delete older generations" keeps unless told otherwise. */
const DEFAULT_KEEP = 10;

/** A run this screen started: a rollback of some kind, or a deletion and the plan it confirmed. */
type ShownRun = { id: string; title: string } & (
  | { action: RollbackAction }
  | { action: 'delete'; plan: DeletePlan }
);

/** What a finished run did, and for a deletion what its space waits for. */
function ranTo(run: ShownRun | null, result: RunResult): { title: string; garbage?: string } {
  if (run?.action === 'delete') return deletedResult(run.plan);
  return { title: succeeded(result.generation, run?.action ?? 'switch') };
}

/** A finished run's banner: what it did, then for a deletion what its space waits for. */
function RanTo({ title, garbage }: { title: string; garbage?: string }) {
  return (
    <>
      <p className="banner-title">{title}</p>
      {garbage && (
        <p className="banner-hint" data-testid="run-result-garbage">
          <Sentence text={garbage} />
        </p>
      )}
    </>
  );
}

/** The current, running and booted generations are never deleted, so never offered. */
function deletable(g: Generation): boolean {
  return g.present && !g.current && !g.running && !g.booted;
}

/** The generation in use: the running system where the machine says, else the profile's. */
function inUse(generations: Generation[]): Generation | null {
  return generations.find((g) => g.running) ?? generations.find((g) => g.current) ?? null;
}

/**
 * The generation "the previous generation" counts from, when neither it nor the one running has
 * a present generation before it: the engine could only refuse, so the button is off and says
 * why. Null when there is one to go back to, or a choice for the engine's refusal to offer.
 */
function oldestLeft(generations: Generation[]): Generation | null {
  const current = generations.find((g) => g.current) ?? null;
  const running = generations.find((g) => g.running) ?? null;
  const from = [current, running].filter((g): g is Generation => g !== null);
  const hasBefore = (g: Generation) => generations.some((p) => p.present && p.number < g.number);
  return from.length && !from.some(hasBefore) ? (from[0] ?? null) : null;
}

/**
 * What a generation is compared with until the user picks another: the one in use, or for the
 * one in use itself the newest generation before it still in the store (what that switch changed).
 */
function defaultBase(generations: Generation[], chosen: Generation): number | null {
  const using = inUse(generations);
  if (using && using.number !== chosen.number) return using.number;
  const before = generations.filter(
    (g) => g.present && !g.storePathGone && g.number < chosen.number,
  );
  return before.length ? Math.max(...before.map((g) => g.number)) : null;
}

/** The generations of a profile, what differs between them, and a safe way back. */
export function GenerationsScreen({ bridge, repo }: GenerationsScreenProps) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<NixstrapError | null>(null);
  // The run whose lock was committed here: its button stays to show the commit once listed anew.
  const [lockCommitted, setLockCommitted] = useState<string | null>(null);
  // A rollback the engine would not plan or start: asking again changes nothing, so no Try again.
  const [refusal, setRefusal] = useState<NixstrapError | null>(null);
  // The same object while the refusal stands: the banner takes the keyboard when it changes.
  const shownRefusal = useMemo(() => {
    const hint = refusal?.previousChoices && choicesHint(refusal.previousChoices);
    return refusal && hint ? { ...refusal, hint } : refusal;
  }, [refusal]);
  const [selected, setSelected] = useState<string | null>(null);
  // Keyed by the selected generation and the one it is compared with (`key@from`).
  // A comparison that failed (a system no longer in the store) is told in its place, not as
  // the screen's error, whose Try again reloads the list and leaves the comparison spinning.
  const [changes, setChanges] = useState<
    { key: string; changes: ClosureChanges } | { key: string; error: NixstrapError } | null
  >(null);
  const [compareWith, setCompareWith] = useState<number | null>(null);
  const [commitCheck, setCommitCheck] = useState<{ key: string; check: CommitCheck } | null>(null);
  const [plan, setPlan] = useState<RollbackPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<ShownRun | null>(null);
  const [deletePlan, setDeletePlan] = useState<DeletePlan | null>(null);
  const [keepNewest, setKeepNewest] = useState(DEFAULT_KEEP);
  const [deleteNotice, setDeleteNotice] = useState<string | null>(null);
  const [result, setResult] = useState<RunResult | null>(null);
  const [reverting, setReverting] = useState<number | null>(null);
  const [revertNotice, setRevertNotice] = useState<string | null>(null);

  // The last auto-revert seen, so one that happens while this screen is open is shown once, and
  // one from before it opened only while the machine still stands where it went back to.
  const seenRevert = useRef<string | null | undefined>(undefined);
  // The button that asked for the rollback dialog: it is disabled while the plan is read.
  const dialogOpener = useRef<HTMLElement | null>(null);
  const detailTitle = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    const listed = await bridge.listGenerations({});
    if (!listed.ok) {
      setError(listed.error);
      return null;
    }
    const { reverted } = listed.value;
    const told =
      seenRevert.current === undefined
        ? standingRevert(listed.value)
        : reverted && reverted.runId !== seenRevert.current
          ? reverted
          : null;
    if (told) {
      setRun({ id: told.runId, title: revertWords(told), action: 'switch' });
      setResult(null);
      setRevertNotice(`${notKeptSentence(told)}.`);
    }
    seenRevert.current = reverted?.runId ?? null;
    setListing(listed.value);
    setError(null);
    return listed.value;
  }, [bridge]);

  // Read again when the user comes back to the window: a rebuild or rollback made meanwhile
  // from a terminal moved the profile without this page.
  useEffect(() => {
    void load();
    const again = () => void load();
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, [load]);

  // On a narrow window the detail sits below the list: bring it into view and put the keyboard
  // (and a screen reader) on its title, gliding only for those who have not asked for less motion.
  useEffect(() => {
    const title = detailTitle.current;
    if (selected === null || !title) return;
    const { top, bottom } = title.getBoundingClientRect();
    if (top < 0 || bottom > window.innerHeight) {
      const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      title.scrollIntoView({ block: 'start', behavior: reduced ? 'auto' : 'smooth' });
    }
    title.focus({ preventScroll: true });
  }, [selected]);

  // After the deadline the engine reverts by itself; read the list until that shows.
  useEffect(() => {
    if (reverting === null) return;
    const timer = setInterval(async () => {
      const now = await load();
      if (now && !now.pending && inUse(now.generations)?.number === reverting) setReverting(null);
    }, REVERT_POLL_MS);
    return () => clearInterval(timer);
  }, [reverting, load]);

  // Another tab may roll back, or keep, meanwhile: the trial waiting for an answer is cheap to
  // ask for, and when it is not the one shown the list is read again, with its question.
  const shownProfile = listing?.profile ?? null;
  const shownTrial = trialKey(listing?.pending);
  useEffect(() => {
    if (shownProfile === null) return;
    const timer = setInterval(async () => {
      const asked = await bridge.pendingGenerations({});
      if (!asked.ok) return;
      const trial = trialKey(asked.value.pending.find((p) => p.profile === shownProfile));
      if (trial !== shownTrial) void load();
    }, TRIAL_POLL_MS);
    return () => clearInterval(timer);
  }, [bridge, shownProfile, shownTrial, load]);

  const generations = listing?.generations ?? [];
  const using = inUse(generations);
  const oldest = oldestLeft(generations);
  const chosen = generations.find((g) => generationKey(g) === selected) ?? null;
  const base = chosen ? (compareWith ?? defaultBase(generations, chosen)) : null;
  const baseGeneration = generations.find((g) => g.present && g.number === base) ?? null;

  // The comparison follows the selection and its base, which a reload can move too: after a
  // rollback to the selected generation it is the one in use, compared with the one before it.
  const compareKey =
    selected && chosen?.present && !chosen.storePathGone && base !== null
      ? `${selected}@${base}`
      : null;
  const chosenNumber = chosen?.number ?? null;
  const shownKey = changes?.key ?? null;
  useEffect(() => {
    if (compareKey === null || base === null || chosenNumber === null) return;
    if (compareKey === shownKey) return;
    void bridge
      .diffGenerations({ from: base, to: chosenNumber })
      .then((diff) =>
        setChanges(
          diff.ok
            ? { key: compareKey, changes: diff.value.changes }
            : { key: compareKey, error: diff.error },
        ),
      );
  }, [bridge, compareKey, shownKey, base, chosenNumber]);

  // Now, unless it is the one in use; from the next boot on, where NixOS boots it; until the next
  // reboot, where NixOS has a test activation (nix-darwin and Home Manager have none).
  const ways = (
    [
      {
        action: 'switch',
        tone: 'primary',
        testId: 'rollback',
        offered: chosen?.number !== using?.number,
      },
      {
        action: 'boot',
        tone: 'secondary',
        testId: 'boot-into',
        offered: listing?.kind === 'nixos' && !chosen?.current,
      },
      {
        action: 'test',
        tone: 'secondary',
        testId: 'try-until-reboot',
        offered: listing?.kind === 'nixos' && chosen?.number !== using?.number,
      },
    ] as const
  ).filter((way) => way.offered);

  function select(key: string) {
    setSelected(key);
    setRefusal(null);
    setCompareWith(null);
    const target = generations.find((g) => generationKey(g) === key);
    if (target?.commit) void checkCommit(key, target.number);
  }

  /** Whether the selected generation's commit is still in its repo: the engine says, once. */
  async function checkCommit(key: string, number: number) {
    const checked = await bridge.checkGenerationCommit({ number, ...(repo ? { repo } : {}) });
    if (checked.ok) setCommitCheck({ key, check: checked.value });
    else setError(checked.error);
  }

  /**
   * Plans a rollback and opens its confirmation. Asked from a refusal's own choices, the refusal
   * stays under the dialog, so Cancel puts the keyboard back on the choice it came from.
   */
  async function askRollback(
    to: number | undefined,
    action: RollbackAction,
    opener: HTMLElement,
    fromRefusal = false,
  ) {
    dialogOpener.current = opener;
    if (!fromRefusal) setRefusal(null);
    setBusy(true);
    const planned = await bridge.planRollback({ ...(to ? { to } : {}), action, repo });
    setBusy(false);
    if (planned.ok) setPlan(planned.value);
    else setRefusal(planned.error);
  }

  /** Plans the same rollback again, staying in the specialisation that runs or going to the base. */
  async function replan(shown: RollbackPlan, specialisation: string | null) {
    setBusy(true);
    const planned = await bridge.planRollback({
      to: shown.to.number,
      action: shown.action,
      repo,
      specialisation,
    });
    setBusy(false);
    if (planned.ok) return setPlan(planned.value);
    setPlan(null);
    setRefusal(planned.error);
  }

  async function rollback(chosenPlan: RollbackPlan, moveRepo: boolean) {
    setRefusal(null);
    setBusy(true);
    // Exactly what the dialog showed: its specialisation, or the base.
    const started = await bridge.rollbackGeneration({
      to: chosenPlan.to.number,
      action: chosenPlan.action,
      repo,
      moveRepo,
      specialisation: chosenPlan.specialisation ?? null,
    });
    setBusy(false);
    setPlan(null);
    if (!started.ok) return setRefusal(started.error);
    setResult(null);
    setRevertNotice(null);
    setRun({
      id: started.value.runId,
      title: rollbackWords(chosenPlan),
      action: chosenPlan.action,
    });
  }

  /** Plans a deletion (one generation, or all but the newest `keep`) and opens its confirmation. */
  async function askDelete(request: { numbers: number[] } | { keep: number }, opener: HTMLElement) {
    dialogOpener.current = opener;
    setRefusal(null);
    setDeleteNotice(null);
    setBusy(true);
    const planned = await bridge.planDeleteGenerations(request);
    setBusy(false);
    if (!planned.ok) return setRefusal(planned.error);
    if (planned.value.delete.length === 0) {
      return setDeleteNotice(
        `Nothing to delete: beyond the newest ${'keep' in request ? request.keep : 0}, every generation left is the current, running or booted one.`,
      );
    }
    setDeletePlan(planned.value);
  }

  async function deleteGenerations(confirmed: DeletePlan) {
    const numbers = confirmed.delete.map((g) => g.number);
    setBusy(true);
    const started = await bridge.deleteGenerations({ numbers });
    setBusy(false);
    setDeletePlan(null);
    if (!started.ok) return setRefusal(started.error);
    setResult(null);
    setRevertNotice(null);
    setRun({
      id: started.value.runId,
      title: deleteWords(numbers),
      action: 'delete',
      plan: confirmed,
    });
  }

  const finished = useCallback(
    (event: RunResult) => {
      setResult(event);
      void load();
    },
    [load],
  );

  async function keep() {
    setBusy(true);
    await bridge.keepGeneration({});
    setBusy(false);
    void load();
  }

  const expired = useCallback(() => {
    if (listing?.pending) setReverting(listing.pending.revertTo);
  }, [listing]);

  return (
    <Screen
      title="Generations"
      intro={
        <>
          <p className="lead">
            Every configuration this machine has switched to, newest first. Pick one to see what
            differs from the one in use, and go back to it now or from the next boot on, or on NixOS
            try it until the next reboot.
          </p>
          {listing && (
            <p className="muted" data-testid="profile">
              Profile <code>{listing.profile}</code>
              {listing.kind && ` · ${PROFILE_KINDS[listing.kind]}`}
            </p>
          )}
        </>
      }
    >
      {listing?.notices.map((notice) => (
        <div key={notice} className="banner banner-warning" role="status">
          <p className="banner-title">{notice}</p>
        </div>
      ))}
      {error && <ErrorBanner error={error} onRetry={() => void load()} />}
      {refusal && (
        <ErrorBanner error={shownRefusal ?? refusal}>
          {refusal.previousChoices && (
            <PreviousChoices
              choices={refusal.previousChoices}
              busy={busy}
              onChoose={(to, opener) => void askRollback(to, 'switch', opener, true)}
            />
          )}
        </ErrorBanner>
      )}
      {listing?.pending && (
        <KeepBanner
          pending={listing.pending}
          busy={busy}
          onKeep={() => void keep()}
          onExpired={expired}
        />
      )}
      {reverting !== null && <Spinner label={`Going back to generation ${reverting}…`} />}
      {!listing && !error && <Spinner label="Reading the profile…" />}
      {listing && (
        <div className="generations-layout">
          <div>
            <div className="actions">
              <button
                type="button"
                className="button button-secondary"
                disabled={busy || !using || oldest !== null}
                aria-describedby={oldest ? 'nothing-before' : undefined}
                onClick={(event) => void askRollback(undefined, 'switch', event.currentTarget)}
                data-testid="rollback-previous"
              >
                Roll back to the previous generation
              </button>
            </div>
            {oldest && (
              <p className="muted" id="nothing-before" data-testid="nothing-before">
                Generation {oldest.number} is the oldest one left: there is nothing before it to
                roll back to.
              </p>
            )}
            <div className="actions delete-older">
              <label htmlFor="keep-newest">Keep the newest</label>
              <input
                id="keep-newest"
                type="number"
                min={1}
                value={keepNewest}
                onChange={(event) =>
                  setKeepNewest(Math.max(1, Math.floor(Number(event.target.value)) || 1))
                }
                data-testid="keep-newest"
              />
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={(event) => void askDelete({ keep: keepNewest }, event.currentTarget)}
                data-testid="delete-older"
              >
                Delete the rest…
              </button>
            </div>
            {deleteNotice && (
              <p className="muted" role="status" data-testid="delete-notice">
                {deleteNotice}
              </p>
            )}
            {generations.length ? (
              <GenerationTimeline generations={generations} selected={selected} onSelect={select} />
            ) : (
              <p className="muted">This profile has no generations yet.</p>
            )}
          </div>
          {/* Not a live region: choosing a generation puts the keyboard on its title, which reads
              it out, and a live region would read every package of its changes after it. */}
          <aside
            className="card generation-detail"
            aria-label="Selected generation"
            data-testid="generation-detail"
          >
            {!chosen && (
              <p className="muted">Select a generation to see what differs from the one in use.</p>
            )}
            {chosen && (
              <>
                <h2 ref={detailTitle} tabIndex={-1} data-testid="generation-detail-title">
                  Generation {chosen.number}
                  {chosen.nixosVersion && <span className="muted"> · {chosen.nixosVersion}</span>}
                </h2>
                <dl className="generation-facts">
                  <dt>Made</dt>
                  <dd>{when(chosen.createdAt)}</dd>
                  <dt>Commit</dt>
                  <dd>
                    <CommitSource generation={chosen} repo={repo} />
                    {chosen.runId && (chosen.lockWritten || lockCommitted === chosen.runId) && (
                      <CommitLockButton
                        key={chosen.runId}
                        bridge={bridge}
                        runId={chosen.runId}
                        onCommitted={(run) => {
                          setLockCommitted(run.id);
                          void load();
                        }}
                      />
                    )}
                  </dd>
                  {chosen.host && (
                    <>
                      <dt>Host</dt>
                      <dd>{chosen.host}</dd>
                    </>
                  )}
                  {chosen.inputs.length > 0 && (
                    <>
                      <dt>Inputs</dt>
                      <dd>
                        <FlakeInputsList inputs={chosen.inputs} />
                      </dd>
                    </>
                  )}
                  {chosen.answers && (
                    <>
                      <dt>Answers</dt>
                      <dd data-testid="generation-answers">{answersSummary(chosen.answers)}</dd>
                    </>
                  )}
                  {chosen.specialisations.length > 0 && (
                    <>
                      <dt>Specialisations</dt>
                      <dd data-testid="generation-specialisations">
                        {chosen.specialisations.join(', ')}
                        {chosen.runningSpecialisation &&
                          ` (${chosen.runningSpecialisation} is running now)`}
                      </dd>
                    </>
                  )}
                  <dt>Store path</dt>
                  <dd>
                    <code className="wrap" data-testid="generation-store-path">
                      {chosen.storePath}
                    </code>
                  </dd>
                </dl>
                {commitCheck?.key === selected && commitCheck.check.warning && (
                  <Banner tone="warning" role="note" testId="generation-commit-gone">
                    <p>
                      <Sentence text={commitCheck.check.warning} />
                    </p>
                    {commitCheck.check.repoFolderGone && (
                      <p data-testid="repo-moved-hint">
                        If the repo was moved, enter the folder it was moved to as the configuration
                        repository in step 4, Review the plan, then choose generation{' '}
                        {chosen.number} again.
                      </p>
                    )}
                  </Banner>
                )}
                {!chosen.present && (
                  <p className="muted">Nix deleted this generation; the ledger keeps its record.</p>
                )}
                {chosen.storePathGone && (
                  <p className="muted" data-testid="store-path-gone">
                    Its system (the store path above) is gone from the Nix store, so it can be
                    neither compared nor activated again.
                    {deletable(chosen) &&
                      ' Deleting it removes the link that still names it from the profile.'}
                  </p>
                )}
                {chosen.present && !chosen.storePathGone && base !== null && selected && (
                  <>
                    <div className="compare-with">
                      <label htmlFor="compare-with">Compare with</label>
                      <select
                        id="compare-with"
                        value={base}
                        onChange={(event) => setCompareWith(Number(event.target.value))}
                        data-testid="compare-with"
                      >
                        {generations
                          .filter(
                            (g) => g.present && !g.storePathGone && g.number !== chosen.number,
                          )
                          .map((g) => (
                            <option key={generationKey(g)} value={g.number}>
                              Generation {g.number}
                              {g.number === using?.number ? ' (in use)' : ''}
                            </option>
                          ))}
                      </select>
                    </div>
                    <h3 data-testid="compare-title">
                      From generation {base} to {chosen.number}
                    </h3>
                    {changes?.key !== `${selected}@${base}` ? (
                      <Spinner label="Comparing closures…" />
                    ) : 'error' in changes ? (
                      <ErrorBanner error={changes.error} />
                    ) : (
                      <ClosureChangesView changes={changes.changes} />
                    )}
                    {baseGeneration && (
                      <InputDifferences
                        heading="h4"
                        differences={inputDifferences(
                          baseGeneration,
                          chosen,
                          baseGeneration.number === using?.number,
                        )}
                      />
                    )}
                  </>
                )}
                {chosen.present && !chosen.storePathGone && ways.length > 0 && (
                  <div className="actions">
                    {ways.map(({ action, tone, testId }) => (
                      <button
                        key={action}
                        type="button"
                        className={`button button-${tone}`}
                        disabled={busy}
                        onClick={(event) =>
                          void askRollback(chosen.number, action, event.currentTarget)
                        }
                        data-testid={testId}
                      >
                        {rollbackVerb(action, chosen.number, using?.number ?? null)} {chosen.number}
                        {action === 'test' && ` ${rollbackWhen('test')}`}
                      </button>
                    ))}
                  </div>
                )}
                {deletable(chosen) && chosen.number !== listing.pending?.revertTo && (
                  <div className="actions">
                    <button
                      type="button"
                      className="button button-ghost"
                      disabled={busy}
                      onClick={(event) =>
                        void askDelete({ numbers: [chosen.number] }, event.currentTarget)
                      }
                      data-testid="delete-generation"
                    >
                      Delete generation {chosen.number}…
                    </button>
                  </div>
                )}
              </>
            )}
          </aside>
        </div>
      )}
      {revertNotice && (
        <div className="banner banner-warning" role="status" data-testid="revert-notice">
          <p className="banner-title">{revertNotice}</p>
        </div>
      )}
      {run && (
        <RollbackRun
          key={run.id}
          bridge={bridge}
          runId={run.id}
          title={run.title}
          kind={run.action === 'delete' ? 'delete' : 'rollback'}
          onResult={finished}
        />
      )}
      {result && (
        <div
          className={`banner ${result.status === 'succeeded' ? 'banner-success' : 'banner-error'}`}
          role="status"
          data-testid="run-result"
        >
          {result.status === 'succeeded' ? (
            <RanTo {...ranTo(run, result)} />
          ) : (
            <p className="banner-title">
              {result.explanation?.message ??
                `The ${run?.action === 'delete' ? 'deletion' : 'rollback'} ${result.status}.`}
            </p>
          )}
          {result.explanation && <p className="banner-hint">{result.explanation.hint}</p>}
        </div>
      )}
      {deletePlan && (
        <DeleteDialog
          plan={deletePlan}
          busy={busy}
          onConfirm={() => void deleteGenerations(deletePlan)}
          onCancel={() => setDeletePlan(null)}
          opener={dialogOpener.current}
        />
      )}
      {plan && (
        <RollbackDialog
          plan={plan}
          busy={busy}
          onConfirm={(moveRepo) => void rollback(plan, moveRepo)}
          onCancel={() => setPlan(null)}
          onStay={(stay) =>
            void replan(plan, stay ? (plan.from?.runningSpecialisation ?? null) : null)
          }
          opener={dialogOpener.current}
        />
      )}
    </Screen>
  );
}
