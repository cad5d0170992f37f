import os from 'node:os';
import type { z } from 'zod';
import {
  type Answers,
  type CHANNELS,
  type Channel,
  type ChannelValue,
  type Facts,
  NixstrapFailure,
  type Plan,
} from '../../common';
import { expandUserPath, packageVersion } from '../core/platform';
import { assertPathText, pathTextProblem } from '../core/repo/inspect/repo-path';
import type { FindRun } from './runs';

/**
 * The engine's parts load on first use, so a shell pays only for the channels it calls: the CLI's
 * `detect` never parses isomorphic-git, a later ledger verb never parses the generator.
 */
const engine = {
  detect: () => import('../core/detect'),
  generate: () => import('../core/generate'),
  repo: () => import('../core/repo'),
  secrets: () => import('../core/secrets'),
  /** node-pty and SQLite: only when a rebuild channel is used. */
  rebuild: () => import('../core/rebuild'),
};

export interface ApiContext {
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** A captured machine to detect instead of this one (tests, bug reports). */
  fixture?: string;
  /** The profile a rebuild sets when the request names none (`serve --profile`); else the system profile. */
  profile?: string;
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

async function requireValidAnswers(input: unknown): Promise<Answers> {
  const result = (await engine.generate()).validateAnswers(input);
  if (result.ok) return result.value;
  // Each issue's message already names its field, e.g. "hostName must be …".
  const sentences = result.issues.map((issue) => issue.message.replace(/\.$/, ''));
  const more =
    sentences.length > 1
      ? `; and ${sentences.length - 1} more: ${sentences.slice(1).join('; ')}`
      : '';
  throw new NixstrapFailure(
    'ANSWERS_INVALID',
    `The answers are not valid: ${sentences[0] ?? 'unknown problem'}${more}.`,
    'Fix the named fields (in the wizard, or in the answers file) and try again.',
  );
}

function notYet(feature: string, hint: string): never {
  throw new NixstrapFailure(
    'NOT_YET_AVAILABLE',
    `${feature} is not available yet in this version of Nixstrap.`,
    hint,
  );
}

/** Where sops looks for age keys: this process's environment and home. */
function keyPlaces() {
  return { env: process.env, home: os.homedir(), platform: process.platform };
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
    'answers.defaults': async ({ facts }) => (await engine.generate()).defaultAnswers(facts),
    'answers.validate': async ({ answers }) => {
      const result = (await engine.generate()).validateAnswers(answers);
      return { issues: result.ok ? [] : result.issues };
    },
    'plan.compute': async (req) => {
      const answers = await requireValidAnswers(req.answers);
      const facts = req.facts ?? (await detect(ctx, req.fixture));
      const plan = await (await engine.repo()).computePlan({
        journey: req.journey,
        repo: userPath(req.repo),
        facts,
        answers,
        secrets,
      });
      remember(plan);
      return plan;
    },
    'plan.apply': async (req) => {
      const answers = await requireValidAnswers(req.answers);
      const facts = req.facts ?? (await detect(ctx, req.fixture));
      return (await engine.repo()).applyReviewedPlan(
        { journey: req.journey, repo: userPath(req.repo), facts, answers, secrets },
        req.planId,
        { resolutions: req.resolutions, author: answers.git },
        reviewed.get(req.planId),
      );
    },
    'repo.inspect': async ({ repo, journey, hostName }) =>
      (await engine.repo()).inspectRepo(
        pathTextProblem(repo) ? repo : userPath(repo),
        journey,
        hostName,
      ),
    'hosts.list': async ({ repo }) => (await engine.repo()).listHosts(userPath(repo)),
    'repo.check': async ({ repo, host }) => (await engine.repo()).checkRepo(userPath(repo), host),
    'rebuild.start': async (req) => {
      const chosen = req.profile ?? ctx.profile;
      const run = await (await engine.rebuild()).startRun({
        dataDir: ctx.dataDir,
        repo: userPath(req.repo),
        host: req.host,
        action: req.action,
        ...(req.target ? { target: req.target } : {}),
        ...(req.user ? { user: req.user } : {}),
        ...(chosen ? { profile: userPath(chosen) } : {}),
        answers: req.answers,
        confirm: req.confirm,
      });
      return { runId: run.id };
    },
    'rebuild.confirm': async ({ runId, proceed }) => {
      (await findRun(runId)).confirm(proceed);
      return {};
    },
    'rebuild.cancel': async ({ runId }) => {
      (await findRun(runId)).cancel();
      return {};
    },
    'runs.list': async () => (await engine.rebuild()).listRuns(ctx.dataDir),
    'generations.list': async () =>
      notYet(
        'The generation ledger',
        'Run `nix-env --list-generations -p /nix/var/nix/profiles/system` for now.',
      ),
    'generations.rollback': async () =>
      notYet('Rollback from Nixstrap', 'Run `sudo nixos-rebuild switch --rollback` for now.'),
    'secrets.keys': async (req) => {
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
  };
}
