import {
  Fragment,
  type KeyboardEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type {
  Answers,
  ApplyResult,
  EncryptedSummary,
  FileAction,
  Journey,
  NixstrapError,
  Plan,
  PreviousAnswers,
  RepoInspection,
  RepoKind,
  Resolution,
} from '../../common';
import { PLAN_STEPS_HEADING, PLAN_WARNINGS_HEADING, updatesExistingHost } from '../../common';
import { machineLabel } from '../../common/labels';
import { writeWaitsFor } from '../../common/plan-waits';
import { Banner } from '../components/Banner';
import { DiffView } from '../components/DiffView';
import { ErrorBanner } from '../components/ErrorBanner';
import { OptionCards } from '../components/OptionCards';
import { PlainField } from '../components/PlainField';
import { Screen } from '../components/Screen';
import { Sentence, SentenceList } from '../components/Sentence';
import { Spinner } from '../components/Spinner';
import { StepActions } from '../components/StepActions';
import { timeAgo } from '../time-ago';
import { HostNameField } from './HostNameField';
import type { StepProps } from './step-props';

interface PlanScreenProps extends StepProps {
  onRepoChange: (repo: string) => void;
  /** New repo or add-host: kept by the wizard with the folder, so Back and a reload keep it. */
  journey: Journey;
  onJourneyChange: (journey: Journey) => void;
  /** Answers the user took from those the host was last written with. */
  onAnswersChange: (answers: Answers) => void;
  /** Written and committed: the wizard moves on to the Done screen, then the rebuild. */
  onApplied: (result: ApplyResult) => void;
  /** Goes on to Build and switch; absent until a plan has been written. */
  onBuild?: () => void;
}

const ACTION_TEXT: Record<FileAction, string> = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  conflict: 'conflict',
};

const JOURNEYS: { id: Journey; title: string; text: string }[] = [
  {
    id: 'init',
    title: 'Start a new config repo',
    text: 'Creates the folder, a flake and this host, then commits.',
  },
  {
    id: 'add-host',
    title: 'Add this machine to an existing repo',
    text: 'Adds a host folder next to the others; shared files are left alone.',
  },
];

/** The file to show first: this host's own module, else the flake, else the first change. */
function firstFileToShow(plan: Plan): string | null {
  const changed = plan.files.filter((file) => file.action !== 'unchanged');
  const preferred = [`${plan.hostDir}/default.nix`, 'flake.nix'];
  for (const path of preferred) {
    if (changed.some((file) => file.path === path)) return path;
  }
  return changed[0]?.path ?? plan.files[0]?.path ?? null;
}

/**
 * Lets long paths wrap after a slash, never inside a name: each segment is kept whole (a name
 * like hardware-configuration.nix would otherwise break at its hyphen) unless it alone is wider
 * than the space it has.
 */
function breakablePath(path: string) {
  return path.split('/').map((part, index, parts) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: segments of one path never reorder
    <Fragment key={index}>
      <span className="path-segment">
        {part}
        {index < parts.length - 1 && '/'}
      </span>
      {index < parts.length - 1 && <wbr />}
    </Fragment>
  ));
}

function countByAction(plan: Plan): Record<FileAction, number> {
  const counts: Record<FileAction, number> = { create: 0, update: 0, unchanged: 0, conflict: 0 };
  for (const file of plan.files) counts[file.action] += 1;
  return counts;
}

/** An encrypted file: how many values and who can read them; its values are never shown. */
function EncryptedSummaryView({
  summary,
  action,
}: {
  summary: EncryptedSummary;
  action: FileAction;
}) {
  const count = `${summary.values} ${summary.values === 1 ? 'value' : 'values'}`;
  return (
    <div className="encrypted-summary" data-testid="encrypted-summary">
      <p>
        <strong>Encrypted, {count}.</strong>{' '}
        {action === 'unchanged'
          ? 'Already as it should be.'
          : 'Its values are never shown; the file holds them only as ciphertext.'}
      </p>
      <p>Readable by:</p>
      <ul>
        {summary.recipients.map((r) => (
          <li key={r.recipient}>
            {r.name ? `${r.name} ` : ''}
            <code className="wrap">{r.recipient}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * What a host of the same name means for the plan: Nixstrap updates a host only in a repo it
 * laid out (this machine coming back); anywhere else it adds new hosts only.
 */
function hostInRepoSentence(kind: RepoKind, hostName: string): string {
  return kind === 'nixstrap'
    ? `This repo already has a host named ${hostName}: if it is this machine, the plan updates it; if not, choose another name below.`
    : `This repo already has a host named ${hostName}, and Nixstrap adds only new hosts to a repo it did not lay out: choose another name below.`;
}

/** Step 4: what would be written, as files and diffs; nothing touches the disk before "Write and commit". */
export function PlanScreen({
  bridge,
  facts,
  answers,
  repo,
  onRepoChange,
  journey,
  onJourneyChange,
  onAnswersChange,
  onBack,
  onApplied,
  onBuild,
}: PlanScreenProps) {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  function moveSelection(event: KeyboardEvent<HTMLUListElement>, shown: Plan): void {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = shown.files.findIndex((file) => file.path === selected);
    const next = shown.files[Math.min(Math.max(index + step, 0), shown.files.length - 1)];
    if (!next) return;
    setSelected(next.path);
    const buttons = event.currentTarget.querySelectorAll<HTMLButtonElement>('button');
    buttons[shown.files.indexOf(next)]?.focus();
  }
  const [busy, setBusy] = useState<'computing' | 'applying' | null>(null);
  // Shown where it happened: a refused plan under the form, a refused write by its button.
  const [error, setError] = useState<{
    during: 'computing' | 'applying';
    error: NixstrapError;
  } | null>(null);
  const [resolutions, setResolutions] = useState<Record<string, Resolution>>({});
  const planTitle = useRef<HTMLHeadingElement>(null);
  const repoHelpId = useId();
  const [inspection, setInspection] = useState<RepoInspection | null>(null);
  // What the host was last written with, when this plan updates it with other answers.
  const [previous, setPrevious] = useState<PreviousAnswers | null>(null);
  // The host whose previous answers are being planned with; their offer is gone meanwhile.
  const [taking, setTaking] = useState<string | null>(null);
  // Once the repo is found to have the host name, its field stays: it must not vanish as a free
  // name is typed into it.
  const [hostNameTaken, setHostNameTaken] = useState(false);

  // A new plan appears below the form: bring it into view and put the keyboard on its title,
  // before the browser paints: the status that held the keyboard meanwhile is gone by then.
  useLayoutEffect(() => {
    if (!plan) return;
    planTitle.current?.scrollIntoView({ block: 'start' });
    planTitle.current?.focus({ preventScroll: true });
  }, [plan]);

  // What the folder is, and whether it suits the journey, told while the user types it.
  useEffect(() => {
    if (repo.trim() === '') {
      setInspection(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void bridge.inspectRepo({ repo, journey, hostName: answers.hostName }).then((result) => {
        if (!current) return;
        setInspection(result.ok ? result.value : null);
        if (result.ok && result.value.hostExists) setHostNameTaken(true);
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [bridge, repo, journey, answers.hostName]);

  function invalidate() {
    setPlan(null);
    setResolutions({});
    setPrevious(null);
  }

  async function compute(withAnswers: Answers = answers) {
    setBusy('computing');
    setError(null);
    invalidate();
    const result = await bridge.computePlan({ journey, repo, answers: withAnswers, facts });
    if (result.ok && updatesExistingHost(result.value)) {
      // Nothing recorded, or a ledger that cannot be read, only means nothing to offer.
      const recorded = await bridge.previousAnswers({ repo, answers: withAnswers });
      setPrevious(recorded.ok ? recorded.value : null);
    }
    setBusy(null);
    setTaking(null);
    if (result.ok) {
      setPlan(result.value);
      setSelected(firstFileToShow(result.value));
    } else {
      setError({ during: 'computing', error: result.error });
      if (result.error.code === 'HOST_EXISTS') setHostNameTaken(true);
    }
  }

  /** The recorded answers into the form, the password the user gave kept: the ledger has none. */
  function takePrevious(recorded: PreviousAnswers) {
    const taken = { ...recorded.answers, passwordHash: answers.passwordHash };
    setTaking(recorded.answers.hostName);
    onAnswersChange(taken);
    void compute(taken);
  }

  async function apply() {
    setBusy('applying');
    setError(null);
    if (!plan) return;
    const result = await bridge.applyPlan({
      journey,
      repo,
      answers,
      facts,
      planId: plan.id,
      resolutions,
    });
    setBusy(null);
    if (result.ok) {
      onApplied(result.value);
    } else {
      setError({ during: 'applying', error: result.error });
    }
  }

  const counts = plan ? countByAction(plan) : null;
  const conflicts = plan?.files.filter((file) => file.action === 'conflict') ?? [];
  const unresolved = conflicts.filter((file) => resolutions[file.path] === undefined).length;
  // Told beside the button it holds back, not among the notes: the write would only be refused.
  const waits = plan ? writeWaitsFor(plan.repo, plan.files) : null;
  const notes = plan?.warnings.filter((warning) => warning !== waits) ?? [];
  const current = plan?.files.find((file) => file.path === selected) ?? null;
  // The refusal of a host name stands next to the field that changes it.
  const hostRefused =
    journey === 'add-host' && error?.during === 'computing' && error.error.code === 'HOST_EXISTS';
  // Said of the name in the field: the inspection of a name typed since may not be back yet.
  const hostInRepo =
    journey === 'add-host' &&
    inspection?.hostExists === true &&
    inspection.hosts.includes(answers.hostName);

  return (
    <Screen
      title="Review the plan"
      intro={
        <>
          <p className="lead">
            Nixstrap shows every file it would write before it writes anything. Files you changed by
            hand are never overwritten without your say.
          </p>
          <p className="plan-for" data-testid="plan-for">
            For <strong>{machineLabel(facts)}</strong> · {facts.system}
            {facts.isLaptop ? ' · laptop' : ''} · host <strong>{answers.hostName}</strong>
          </p>
        </>
      }
    >
      <form
        className="card plan-target"
        onSubmit={(event) => {
          event.preventDefault();
          void compute();
        }}
      >
        <PlainField
          label="Configuration repository"
          value={repo}
          onChange={(value) => {
            onRepoChange(value);
            invalidate();
          }}
          placeholder="~/nixos-config"
          aria-describedby={repoHelpId}
          aria-invalid={inspection?.problem ? true : undefined}
          data-testid="repo-path"
        >
          <p
            id={repoHelpId}
            className={inspection?.problem ? 'field-help field-problem' : 'field-help'}
            aria-live="polite"
            data-testid="repo-inspection"
            data-kind={inspection?.kind}
          >
            {inspection?.problem
              ? `${inspection.problem.message} ${inspection.problem.hint}`
              : inspection && hostInRepo
                ? `${inspection.summary} ${hostInRepoSentence(inspection.kind, answers.hostName)}`
                : (inspection?.summary ??
                  'A folder path on this machine. A new repo is created there if it does not exist.')}
          </p>
        </PlainField>
        <fieldset className="choice-group">
          <legend className="field-label">What to do</legend>
          <OptionCards
            name="journey"
            options={JOURNEYS}
            value={journey}
            onChange={(id) => {
              onJourneyChange(id);
              invalidate();
            }}
            testIdPrefix="journey"
            pair
          />
        </fieldset>
        {hostRefused && <ErrorBanner error={error.error} />}
        {journey === 'add-host' && hostNameTaken && (
          <HostNameField
            bridge={bridge}
            facts={facts}
            answers={answers}
            onAnswersChange={(changed) => {
              onAnswersChange(changed);
              invalidate();
              // The refusal named the old name: it no longer says anything true.
              if (hostRefused) setError(null);
            }}
            hosts={inspection?.hosts ?? []}
          />
        )}
        <div className="actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy !== null || repo.trim() === ''}
            data-testid="compute-plan"
          >
            {plan ? 'Compute again' : 'Show the plan'}
          </button>
        </div>
      </form>

      {error?.during === 'computing' && !hostRefused && <ErrorBanner error={error.error} />}
      {busy === 'computing' && (
        <Spinner
          label={
            taking
              ? `Taking ${taking}'s previous answers and working out what to write…`
              : 'Working out what to write…'
          }
          focus={taking !== null}
        />
      )}

      {plan && counts && (
        <article className="card plan" aria-labelledby="plan-title" data-testid="plan">
          <header className="card-header">
            <div>
              <h2 id="plan-title" ref={planTitle} tabIndex={-1}>
                {plan.files.length} {plan.files.length === 1 ? 'file' : 'files'} in{' '}
                <code>{plan.repo}</code>
              </h2>
              <p className="subtitle" data-testid="plan-host">
                {updatesExistingHost(plan) ? (
                  <>
                    {counts.unchanged === plan.files.length ? 'Host' : 'Updates host'}{' '}
                    <strong>{plan.hostName}</strong>, already in <code>{plan.hostDir}</code>
                    {counts.unchanged === plan.files.length ? ': nothing to change' : ''}
                  </>
                ) : (
                  <>
                    New host folder <code>{plan.hostDir}</code>
                  </>
                )}
              </p>
            </div>
            <ul className="counts" aria-label="Summary">
              {(Object.keys(counts) as FileAction[])
                .filter((action) => counts[action] > 0)
                .map((action) => (
                  <li key={action}>
                    <span className={`badge badge-${action}`}>{ACTION_TEXT[action]}</span>{' '}
                    {counts[action]}
                  </li>
                ))}
            </ul>
          </header>
          {previous && (
            <Banner
              tone="info"
              testId="previous-answers"
              title={
                <>
                  {plan.hostName} was last {previous.source === 'write' ? 'written' : 'built'} with
                  other answers ({/* The exact moment on hover, as the CLI prints it. */}
                  <time
                    dateTime={previous.recordedAt}
                    title={new Date(previous.recordedAt).toLocaleString()}
                  >
                    {timeAgo(previous.recordedAt)}
                  </time>
                  ).
                </>
              }
              action={
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => takePrevious(previous)}
                  disabled={busy !== null}
                  data-testid="use-previous-answers"
                >
                  Use {plan.hostName}'s previous answers
                </button>
              }
            >
              <p>They had {previous.changes.join(', ')}.</p>
              <p>
                This plan writes the answers you gave instead. Taking the previous ones fills the
                form with them (your password stays as you set it) and plans again; Back changes any
                of them.
              </p>
            </Banner>
          )}
          {plan.steps.length > 0 && (
            <Banner tone="warning" title={PLAN_STEPS_HEADING} testId="plan-steps">
              <ol>
                {plan.steps.map((step) => (
                  <li key={step}>
                    <Sentence text={step} />
                  </li>
                ))}
              </ol>
            </Banner>
          )}
          {notes.length > 0 && (
            <Banner tone="info" title={PLAN_WARNINGS_HEADING} testId="plan-notices">
              <SentenceList items={notes} />
            </Banner>
          )}
          <div className="plan-body">
            <ul
              className="file-list"
              aria-label="Planned files (arrow keys move between them)"
              data-testid="plan-files"
              onKeyDown={(event) => moveSelection(event, plan)}
            >
              {plan.files.map((file) => (
                <li key={file.path}>
                  <button
                    type="button"
                    className="file-item"
                    aria-pressed={file.path === selected}
                    // One tab stop for the whole list; arrow keys move within it.
                    tabIndex={file.path === (selected ?? plan.files[0]?.path) ? 0 : -1}
                    onClick={() => setSelected(file.path)}
                    data-testid="plan-file"
                    data-action={file.action}
                  >
                    <span className={`badge badge-${file.action}`}>{ACTION_TEXT[file.action]}</span>
                    <span className="file-path">{breakablePath(file.path)}</span>
                    {file.encrypted && <span className="tag tag-encrypted">encrypted</span>}
                  </button>
                </li>
              ))}
            </ul>
            <div className="file-detail">
              {current ? (
                <>
                  <h3 className="file-detail-title">
                    <code>{current.path}</code>
                  </h3>
                  {current.reason && <p className="muted">{current.reason}</p>}
                  {current.encrypted ? (
                    <EncryptedSummaryView summary={current.encrypted} action={current.action} />
                  ) : (
                    <DiffView
                      diff={current.diff}
                      label={`Changes to ${current.path}`}
                      empty="This file is already as Nixstrap would write it."
                    />
                  )}
                </>
              ) : (
                <p className="muted">Choose a file to see its changes.</p>
              )}
            </div>
          </div>
          <div className="apply">
            {conflicts.length > 0 && (
              <div className="banner banner-warning" data-testid="conflicts">
                <div className="banner-body">
                  <p className="banner-title">
                    {conflicts.length === 1
                      ? 'One file was changed by hand since Nixstrap wrote it.'
                      : `${conflicts.length} files were changed by hand since Nixstrap wrote them.`}
                  </p>
                  <p>
                    Choose for each: keep yours, or take Nixstrap's version. Yours is then saved in
                    git first, so nothing is lost.
                  </p>
                  {conflicts.map((file) => (
                    <fieldset
                      key={file.path}
                      className="conflict-choice"
                      data-testid="conflict-file"
                      data-path={file.path}
                    >
                      <legend>
                        <code>{breakablePath(file.path)}</code>
                      </legend>
                      <div className="checks">
                        {(
                          [
                            ['keep', 'Keep mine'],
                            ['take', "Take Nixstrap's"],
                          ] as const
                        ).map(([choice, label]) => (
                          <label key={choice} className="check">
                            <input
                              type="radio"
                              name={`resolution-${file.path}`}
                              checked={resolutions[file.path] === choice}
                              onChange={() =>
                                setResolutions((current) => ({ ...current, [file.path]: choice }))
                              }
                              data-testid={`resolution-${choice}`}
                            />
                            {label}
                          </label>
                        ))}
                      </div>
                    </fieldset>
                  ))}
                </div>
              </div>
            )}
            {waits && (
              <Banner tone="warning" title="Commit or stash your changes first" testId="plan-waits">
                <Sentence text={waits} />
              </Banner>
            )}
            {error?.during === 'applying' && <ErrorBanner error={error.error} />}
            <div className="actions">
              <button
                type="button"
                className="button button-primary"
                onClick={() => void apply()}
                disabled={busy !== null || unresolved > 0 || waits !== null}
                data-testid="apply-plan"
              >
                {busy === 'applying' ? 'Writing…' : 'Write and commit'}
              </button>
            </div>
          </div>
        </article>
      )}

      <StepActions
        onBack={onBack}
        nextLabel="Build and switch"
        onNext={onBuild}
        waitingFor="Write and commit the plan first."
        nextTestId="go-rebuild"
      />
    </Screen>
  );
}
