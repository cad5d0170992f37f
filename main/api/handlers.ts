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
import { createLiveProbe, detectFacts, openFixture } from '../core/detect';
import { defaultAnswers, validateAnswers } from '../core/generate';
import { expandUserPath, packageVersion } from '../core/platform';
import {
  applyReviewedPlan,
  assertPathText,
  checkRepo,
  computePlan,
  inspectRepo,
  listHosts,
  pathTextProblem,
} from '../core/repo';

export interface ApiContext {
  shell: 'electron' | 'browser' | 'cli';
  dataDir: string;
  /** A captured machine to detect instead of this one (tests, bug reports). */
  fixture?: string;
}

type Request<C extends Channel> = z.output<(typeof CHANNELS)[C]['request']>;
export type Handlers = { [C in Channel]: (request: Request<C>) => Promise<ChannelValue<C>> };

function detect(ctx: ApiContext, fixture: string | undefined): Facts {
  const dir = fixture ?? ctx.fixture;
  return detectFacts(dir ? openFixture(expandUserPath(dir)) : createLiveProbe());
}

function requireValidAnswers(input: unknown): Answers {
  const result = validateAnswers(input);
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

const RECENT_PLANS = 8;

/** Maps each channel of the contract to one engine call. Nothing else lives here. */
export function createHandlers(ctx: ApiContext): Handlers {
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
    'answers.defaults': async ({ facts }) => defaultAnswers(facts),
    'answers.validate': async ({ answers }) => {
      const result = validateAnswers(answers);
      return { issues: result.ok ? [] : result.issues };
    },
    'plan.compute': async (req) => {
      const answers = requireValidAnswers(req.answers);
      const facts = req.facts ?? detect(ctx, req.fixture);
      const plan = await computePlan({
        journey: req.journey,
        repo: userPath(req.repo),
        facts,
        answers,
      });
      remember(plan);
      return plan;
    },
    'plan.apply': async (req) => {
      const answers = requireValidAnswers(req.answers);
      const facts = req.facts ?? detect(ctx, req.fixture);
      return applyReviewedPlan(
        { journey: req.journey, repo: userPath(req.repo), facts, answers },
        req.planId,
        { resolutions: req.resolutions, author: answers.git },
        reviewed.get(req.planId),
      );
    },
    'repo.inspect': async ({ repo, journey, hostName }) =>
      inspectRepo(pathTextProblem(repo) ? repo : userPath(repo), journey, hostName),
    'hosts.list': async ({ repo }) => listHosts(userPath(repo)),
    'repo.check': async ({ repo, host }) => checkRepo(userPath(repo), host),
    'rebuild.start': async ({ repo, host }) =>
      notYet(
        'Running the rebuild from Nixstrap',
        `Run \`sudo nixos-rebuild switch --flake ${repo}#${host}\` in a terminal for now.`,
      ),
    'generations.list': async () =>
      notYet(
        'The generation ledger',
        'Run `nix-env --list-generations -p /nix/var/nix/profiles/system` for now.',
      ),
    'generations.rollback': async () =>
      notYet('Rollback from Nixstrap', 'Run `sudo nixos-rebuild switch --rollback` for now.'),
  };
}
