import os from 'node:os';
import type { z } from 'zod';
import type {
  Answers,
  ApplyResult,
  CHANNELS,
  Channel,
  ChannelValue,
  Facts,
  Plan,
} from '../../common';
import { NixstrapFailure } from '../../common/failure';
import { assertHostName } from '../../common/host-name';
import { expandUserPath, packageVersion, userGitIdentity } from '../core/platform';
import { assertPathText, pathTextProblem } from '../core/repo/inspect/repo-path';
import { withDetectionWarnings } from './detection-warnings';
import { generationHandlers } from './generations';
import type { FindRun } from './runs';

/**
 * The engine's parts load on first use, so a shell pays only for the channels it calls: the CLI's
 * `detect` never parses isomorphic-git, a later ledger verb never parses the generator.
 */
const engine = {
  detect: () => import('../core/detect'),
  generate: () => import('../core/generate'),
  /** SQLite alone, for what Nixstrap recorded of a host's answers. */
  ledger: () => import('../core/ledger'),
  /** Recorded answers set against the form's: zod, so kept out of the ledger's own index. */
  previousAnswers: () => import('../core/ledger/previous-answers'),
  password: () => import('../core/password'),
  repo: () => import('../core/repo'),
  secrets: () => import('../core/secrets'),
  /** node-pty and SQLite: only when a rebuild channel is used. */
  rebuild: () => import('../core/rebuild'),
  commitLock: () => import('../core/rebuild/commit-lock'),
};

export interface ApiContext {
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** A captured machine to detect instead of this one (tests, bug reports). */
  fixture?: string;
  /** The profile a rebuild sets when the request names none (`serve --profile`); else the system profile. */
  profile?: string;
  /** Seconds a switch from the app waits for "Keep this configuration" before reverting (60). */
  keepSeconds?: number;
}

export type Request<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;
/** One engine call per channel; `signal` aborts when the caller cancels (or goes away). */
export type Handlers = {
  [C in Channel]: (request: Request<C>, signal: AbortSignal) => Promise<ChannelValue<C>>;
};

async function detect(ctx: ApiContext, fixture: string | undefined): Promise<Facts> {
  const dir = fixture ?? ctx.fixture;
  const { createLiveProbe, detectFacts, openFixture } = await engine.detect();
  return detectFacts(dir ? openFixture(expandUserPath(dir)) : createLiveProbe());
}

/**
 * Who the commit is by: the answers' git identity, a field left empty taken from the user's
 * own git config (a captured machine's answers are not this user's, so not there).
 */
function commitAuthor(ctx: ApiContext, answers: Answers): { name: string; email: string } {
  const own = ctx.fixture ? { name: '', email: '' } : userGitIdentity();
  return { name: answers.git.name || own.name, email: answers.git.email || own.email };
}

/** The answers checked against this machine: its blockers, every rule and the access check. */
async function answersFor(input: unknown, facts: Facts): Promise<Answers> {
  return (await engine.generate()).answersForMachine(input, facts);
}

/** Where sops looks for age keys: this process's environment and home. */
function keyPlaces() {
  return { env: process.env, home: os.homedir(), platform: process.platform };
}

/**
 * Keeps the answers a write was made from, for the day this machine comes back to its host. The
 * write is committed already: a ledger that cannot take the record costs that offer only, and
 * the sentence returned says so.
 */
async function recordAnswersWritten(
  dataDir: string,
  result: ApplyResult,
  answers: Answers,
): Promise<string | null> {
  const { openLedger, recordWrite } = await engine.ledger();
  const { repo, hostName: host } = result.plan;
  try {
    const ledger = openLedger(dataDir);
    try {
      recordWrite(ledger, { repo, host, commit: result.commit, answers });
    } finally {
      ledger.close();
    }
    return null;
  } catch (error) {
    const why = error instanceof NixstrapFailure ? error.error.message : `${String(error)}.`;
    const hint = error instanceof NixstrapFailure ? ` ${error.error.hint}` : '';
    return `The commit holds everything, but Nixstrap could not keep these answers for when this machine comes back to host ${host}: ${why.charAt(0).toLowerCase()}${why.slice(1)}${hint}`;
  }
}

const RECENT_PLANS = 8;

/** Maps each channel of the contract to one engine call. Nothing else lives here. */
export function createHandlers(ctx: ApiContext, findRun: FindRun): Handlers {
  const secrets = { places: keyPlaces(), dataDir: ctx.dataDir };
  // A path typed into the wizard has no shell folder behind it: relative means relative to
  // home, as the suggested ~/nixos-config is. The CLI keeps the shell's meaning.
  const base = ctx.shell === 'cli' ? process.cwd() : os.homedir();
  const userPath = (input: string) => {
    assertPathText(input);
    return expandUserPath(input, base);
  };
  const generations = generationHandlers(ctx, userPath);
  // The last plans shown, by id, so a refused apply can name the files that changed since.
  const reviewed = new Map<string, Plan>();
  const remember = (plan: Plan) => {
    reviewed.delete(plan.id);
    reviewed.set(plan.id, plan);
    for (const id of [...reviewed.keys()].slice(0, -RECENT_PLANS)) reviewed.delete(id);
  };
  return {
    'app.info': async () => ({
      version: packageVersion(),
      shell: ctx.shell,
      platform: `${process.platform}-${process.arch}`,
      dataDir: ctx.dataDir,
    }),
    'facts.detect': async ({ fixture }) => detect(ctx, fixture),
    // A captured machine is not this user's: its answers start without their git identity.
    'answers.defaults': async ({ facts }) =>
      (await engine.generate()).defaultAnswers(facts, ctx.fixture ? undefined : userGitIdentity()),
    'answers.validate': async ({ answers, facts }) => {
      const result = (await engine.generate()).validateAnswers(answers, facts);
      return { issues: result.ok ? [] : result.issues };
    },
    'answers.previous': async ({ repo, answers }) => {
      const { openLedger, recordedAnswers } = await engine.ledger();
      const ledger = openLedger(ctx.dataDir);
      try {
        const recorded = recordedAnswers(ledger, userPath(repo), answers.hostName);
        return (await engine.previousAnswers()).previousAnswers(recorded, answers);
      } finally {
        ledger.close();
      }
    },
    'facts.assess': async ({ facts }) => {
      const { answerChoices, hostNameProblem, machineBlockers } = await engine.generate();
      const problem = hostNameProblem(facts.hostName);
      return {
        blockers: machineBlockers(facts),
        choices: answerChoices(facts),
        issues: problem
          ? [{ field: 'hostName', message: `hostName ${problem}`, kind: 'invalid' as const }]
          : [],
      };
    },
    'password.hash': async ({ password }) => ({
      hash: (await engine.password()).hashPassword(password),
    }),
    'plan.compute': async (req) => {
      const facts = req.facts ?? (await detect(ctx, req.fixture));
      const answers = await answersFor(req.answers, facts);
      const plan = await (await engine.repo()).computePlan({
        journey: req.journey,
        repo: userPath(req.repo),
        facts,
        answers,
        secrets,
      });
      remember(plan);
      return withDetectionWarnings(plan, facts, req.facts !== undefined);
    },
    'plan.apply': async (req) => {
      const facts = req.facts ?? (await detect(ctx, req.fixture));
      const answers = await answersFor(req.answers, facts);
      const result = await (await engine.repo()).applyReviewedPlan(
        { journey: req.journey, repo: userPath(req.repo), facts, answers, secrets },
        req.planId,
        { resolutions: req.resolutions, author: commitAuthor(ctx, answers) },
        reviewed.get(req.planId),
      );
      const unrecorded = await recordAnswersWritten(ctx.dataDir, result, answers);
      return {
        ...result,
        ...(unrecorded ? { unrecorded } : {}),
        plan: withDetectionWarnings(result.plan, facts, req.facts !== undefined),
      };
    },
    'repo.inspect': async ({ repo, journey, hostName }) =>
      (await engine.repo()).inspectRepo(
        pathTextProblem(repo) ? repo : userPath(repo),
        journey,
        hostName,
      ),
    'hosts.list': async ({ repo }) => {
      const repos = await engine.repo();
      const folder = userPath(repo);
      await repos.assertRepoExists(folder);
      await repos.assertConfiguration(folder);
      return repos.listHosts(folder);
    },
    'repo.check': async ({ repo, host }) => (await engine.repo()).checkRepo(userPath(repo), host),
    'rebuild.start': async (req) => {
      const chosen = req.profile ?? ctx.profile;
      const rebuild = await engine.rebuild();
      const profile = chosen
        ? userPath(chosen)
        : rebuild.defaultProfile(req.target ?? 'nixos', process.env);
      const previous = rebuild.currentGeneration(profile);
      // A switch made from the app is on trial until the user keeps it, guarded from before
      // its activation so that the generation before comes back even if Nixstrap does not.
      const seconds =
        req.action === 'switch' && ctx.shell !== 'cli' && previous !== null
          ? await generations.keepSeconds()
          : 0;
      const previousLink =
        seconds > 0 ? rebuild.resolvedStorePath(`${profile}-${previous}-link`) : null;
      // What runs now comes back on a revert: the specialisation of the previous generation, if
      // one runs, rather than its base configuration.
      const runDir = process.env.NIXSTRAP_RUN_DIR || '/run';
      const revertSpecialisation = previousLink
        ? rebuild.runningSpecialisation(profile, runDir)
        : null;
      const previousPath =
        previousLink && revertSpecialisation
          ? rebuild.activatedPath(previousLink, revertSpecialisation)
          : previousLink;
      const run = await rebuild.startRun({
        dataDir: ctx.dataDir,
        repo: userPath(req.repo),
        host: req.host,
        action: req.action,
        ...(req.target ? { target: req.target } : {}),
        ...(req.user ? { user: req.user } : {}),
        ...(chosen ? { profile } : {}),
        ...(req.specialisation !== undefined ? { specialisation: req.specialisation } : {}),
        answers: req.answers,
        confirm: req.confirm,
        keepWatcher: await generations.keepWatcher(),
        ...(previous !== null && previousPath
          ? {
              guard: {
                revertTo: previous,
                revertPath: previousPath,
                revertAction: 'switch' as const,
                keepSeconds: seconds,
              },
            }
          : {}),
      });
      if (previous !== null && seconds > 0) {
        generations.trialAfterSwitch(run, profile, previous, seconds, revertSpecialisation);
      }
      return { runId: run.id };
    },
    'rebuild.confirm': async ({ runId, proceed, specialisation }) => {
      (await findRun(runId)).confirm(proceed, specialisation);
      return {};
    },
    'rebuild.cancel': async ({ runId }) => {
      const run = await findRun(runId);
      const rebuild = await engine.rebuild();
      if (rebuild.ownRun(ctx.dataDir, runId)) {
        run.cancel();
        return {};
      }
      // Another Nixstrap's run: it is asked, and this answers once the run has ended.
      await rebuild.cancelRunElsewhere(ctx.dataDir, runId).catch((error: unknown) => {
        // A run already over has nothing left to cancel, as for this process's own runs.
        if (!(error instanceof NixstrapFailure && error.error.code === 'RUN_NOT_RUNNING')) {
          throw error;
        }
      });
      return {};
    },
    'runs.list': async () => (await engine.rebuild()).listRuns(ctx.dataDir),
    'runs.commitLock': async ({ runId }) => {
      const { commitBuiltLock } = await engine.commitLock();
      const ledger = (await engine.ledger()).openLedger(ctx.dataDir);
      try {
        return await commitBuiltLock(ledger, runId);
      } finally {
        ledger.close();
      }
    },
    'runs.lockCheck': async ({ runId }) => {
      const { lockCommitRefusal } = await engine.commitLock();
      const ledger = (await engine.ledger()).openLedger(ctx.dataDir);
      try {
        return { refusal: await lockCommitRefusal(ledger, runId) };
      } finally {
        ledger.close();
      }
    },
    'generations.list': generations['generations.list'],
    'generations.diff': generations['generations.diff'],
    'generations.commit': generations['generations.commit'],
    'generations.plan': generations['generations.plan'],
    'generations.rollback': generations['generations.rollback'],
    'generations.planDelete': generations['generations.planDelete'],
    'generations.delete': generations['generations.delete'],
    'generations.pending': generations['generations.pending'],
    'generations.keep': generations['generations.keep'],
    'secrets.keys': async (req) => {
      // The host's key file is named after it: a name with '/' or '..' would put it elsewhere.
      assertHostName(
        req.hostName,
        'Fix the host name (the Host name field in the app, hostName in the answers) and try again.',
      );
      const facts = req.facts ?? (await detect(ctx, req.fixture));
      const { secretKeys } = await engine.secrets();
      return secretKeys(facts, req.hostName, secrets.places, ctx.dataDir, req.create);
    },
    'secrets.list': async ({ repo }) =>
      (await engine.secrets()).secretsReport(userPath(repo), secrets.places),
    'secrets.set': async (req) => {
      const target = req.host === undefined ? { common: true as const } : { host: req.host };
      const { setSecret } = await engine.secrets();
      return setSecret(userPath(req.repo), target, req.name, req.value, secrets.places);
    },
    'secrets.rotate': async ({ repo }) =>
      (await engine.secrets()).rotateSecrets(userPath(repo), secrets.places),
    'secrets.remove': async (req) => {
      const target = req.host === undefined ? { common: true as const } : { host: req.host };
      const { removeSecret } = await engine.secrets();
      return removeSecret(userPath(req.repo), target, req.name, secrets.places);
    },
  };
}
