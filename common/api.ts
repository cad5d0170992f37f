import { z } from 'zod';
import {
  AnswerChoicesSchema,
  AnswerIssueSchema,
  AnswersSchema,
  PreviousAnswersSchema,
} from './answers';
import { FactsSchema } from './facts';
import { GENERATION_CHANNELS } from './generations';
import {
  ApplyResultSchema,
  CheckReportSchema,
  HostSchema,
  JourneySchema,
  PlanSchema,
  RepoInspectionSchema,
  ResolutionSchema,
} from './plan';
import { RebuildActionSchema, RunEventSchema, RunSummarySchema, TargetKindSchema } from './rebuild';
import { NixstrapErrorSchema } from './result';
import {
  RemoveSecretResultSchema,
  RotateResultSchema,
  SecretKeysSchema,
  SecretNameSchema,
  SecretsReportSchema,
  SetSecretResultSchema,
} from './secrets';

const AppInfoSchema = z.strictObject({
  version: z.string(),
  shell: z.enum(['electron', 'browser', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const PlanRequestSchema = z.strictObject({
  journey: JourneySchema,
  repo: z.string().min(1),
  answers: z.unknown(),
  /** Facts as the user corrected them on the first screen; detected afresh when absent. */
  facts: FactsSchema.optional(),
  fixture: z.string().optional(),
});

/**
 * The API contract: one entry per channel, with the schema of its request and of its value.
 * Electron IPC, the browser-mode WebSocket and the CLI all go through this table, so a
 * channel is added here once and every transport validates it the same way.
 */
/** A request about one secret of a repo: its name, and either a host's file or the shared one. */
const SecretRequestSchema = z.strictObject({
  repo: z.string().min(1),
  name: SecretNameSchema,
  host: z.string().min(1).optional(),
  common: z.boolean().default(false),
});
const oneSecretsFile = [
  (req: { host?: string; common: boolean }) => (req.host === undefined) === req.common,
  { message: 'name either a host or the shared secrets (common), not both' },
] as const;

export const CHANNELS = {
  'app.info': { request: z.strictObject({}), response: AppInfoSchema },
  'facts.detect': {
    request: z.strictObject({ fixture: z.string().optional() }),
    response: FactsSchema,
  },
  'answers.defaults': {
    request: z.strictObject({ facts: FactsSchema }),
    response: AnswersSchema,
  },
  'answers.validate': {
    /** With the facts, also what this machine would ignore and whether the owner gets in. */
    request: z.strictObject({ answers: z.unknown(), facts: FactsSchema.optional() }),
    response: z.strictObject({ issues: z.array(AnswerIssueSchema) }),
  },
  'answers.previous': {
    /** A host coming back: what Nixstrap recorded for it in this repo, if other than `answers`. */
    request: z.strictObject({ repo: z.string().min(1), answers: AnswersSchema }),
    response: PreviousAnswersSchema.nullable(),
  },
  'facts.assess': {
    request: z.strictObject({ facts: FactsSchema }),
    response: z.strictObject({
      /** Why this machine cannot be configured at all; the engine's word, not the UI's. */
      blockers: z.array(NixstrapErrorSchema),
      choices: AnswerChoicesSchema,
      /** Facts a correction set against the rules the answers follow (the host name). */
      issues: z.array(AnswerIssueSchema),
    }),
  },
  'password.hash': {
    /** The password travels once, to be hashed; only the hash comes back or is kept. */
    request: z.strictObject({ password: z.string().max(4096) }),
    response: z.strictObject({ hash: z.string() }),
  },
  'plan.compute': { request: PlanRequestSchema, response: PlanSchema },
  'plan.apply': {
    request: PlanRequestSchema.extend({
      /** The id of the plan the user reviewed: nothing is written if the plan is now another. */
      planId: z.string().min(1),
      /** For each file in conflict, what the user chose. */
      resolutions: z.record(z.string(), ResolutionSchema).default({}),
    }).strict(),
    response: ApplyResultSchema,
  },
  'repo.inspect': {
    request: z.strictObject({
      repo: z.string(),
      journey: JourneySchema,
      /** The host the user is setting up, when known: a repo of that host alone may be set up again. */
      hostName: z.string().optional(),
    }),
    response: RepoInspectionSchema,
  },
  'hosts.list': {
    request: z.strictObject({ repo: z.string().min(1) }),
    response: z.array(HostSchema),
  },
  'repo.check': {
    request: z.strictObject({ repo: z.string().min(1), host: z.string().optional() }),
    response: CheckReportSchema,
  },
  'rebuild.start': {
    request: z.strictObject({
      repo: z.string().min(1),
      host: z.string().min(1),
      action: RebuildActionSchema.default('switch'),
      target: TargetKindSchema.optional(),
      /** Home Manager: the user of `homeConfigurations."<user>@<host>"`. */
      user: z.string().min(1).optional(),
      profile: z.string().min(1).optional(),
      /**
       * NixOS switch or test: activate the new system's specialisation of this name; null, its
       * base configuration. Absent: the confirm offers to stay in the one running now.
       */
      specialisation: z.string().min(1).nullable().optional(),
      /** The wizard's answers this rebuild comes from, kept with the run. */
      answers: z.unknown().optional(),
      /** `ask` (the default) waits for rebuild.confirm before anything changes. */
      confirm: z.enum(['ask', 'yes']).default('ask'),
    }),
    response: z.strictObject({ runId: z.string() }),
  },
  /** The answer to a run's `confirm` event: true goes on, false cancels it. */
  'rebuild.confirm': {
    request: z.strictObject({
      runId: z.string().min(1),
      proceed: z.boolean(),
      /**
       * Answering a question that offered the running specialisation: the specialisation to
       * activate, or null for the base configuration. Absent: as the run was started.
       */
      specialisation: z.string().min(1).nullable().optional(),
    }),
    response: z.strictObject({}),
  },
  'rebuild.cancel': {
    request: z.strictObject({ runId: z.string().min(1) }),
    response: z.strictObject({}),
  },
  'runs.list': {
    request: z.strictObject({}),
    response: z.array(RunSummarySchema),
  },
  /**
   * Commits the flake.lock the run's build wrote (that file alone, on the commit it built from);
   * the run as the ledger now records it, built from the new commit.
   */
  'runs.commitLock': {
    request: z.strictObject({ runId: z.string().min(1) }),
    response: RunSummarySchema,
  },
  /**
   * Why runs.commitLock would refuse the run's lock now (the lock on disk is not the one built
   * with, the repo moved on or is gone, …), read without writing; null when it would commit.
   */
  'runs.lockCheck': {
    request: z.strictObject({ runId: z.string().min(1) }),
    response: z.strictObject({ refusal: NixstrapErrorSchema.nullable() }),
  },
  ...GENERATION_CHANNELS,
  'secrets.keys': {
    request: z.strictObject({
      hostName: z.string().min(1),
      facts: FactsSchema.optional(),
      fixture: z.string().optional(),
      /** Make the owner's key (and a host's own key) when missing; otherwise only look. */
      create: z.boolean().default(false),
    }),
    response: SecretKeysSchema,
  },
  'secrets.list': {
    request: z.strictObject({ repo: z.string().min(1) }),
    response: SecretsReportSchema,
  },
  'secrets.set': {
    request: SecretRequestSchema.extend({
      value: z.string().min(1, 'the value is empty'),
    }).refine(...oneSecretsFile),
    response: SetSecretResultSchema,
  },
  'secrets.rotate': {
    request: z.strictObject({ repo: z.string().min(1) }),
    response: RotateResultSchema,
  },
  'secrets.remove': {
    request: SecretRequestSchema.refine(...oneSecretsFile),
    response: RemoveSecretResultSchema,
  },
} as const;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
export type ChannelRequest<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type ChannelValue<C extends Channel> = z.infer<(typeof CHANNELS)[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

/**
 * Subscriptions: a call whose answer is a stream of events for this caller only, until it is
 * disposed. Each event carries its sequence number and each request says where to start, so a
 * client that lost its connection (a reloaded page, a restarted window) picks up where it was.
 */
export const SUBSCRIPTIONS = {
  'rebuild.subscribe': {
    request: z.strictObject({
      runId: z.string().min(1),
      fromSeq: z.number().int().nonnegative().default(0),
    }),
    event: z.strictObject({ seq: z.number().int().nonnegative(), event: RunEventSchema }),
  },
} as const;

export type Topic = keyof typeof SUBSCRIPTIONS;
export type TopicRequest<T extends Topic> = z.input<(typeof SUBSCRIPTIONS)[T]['request']>;
export type TopicEvent<T extends Topic> = z.infer<(typeof SUBSCRIPTIONS)[T]['event']>;

export function isTopic(name: unknown): name is Topic {
  return typeof name === 'string' && Object.hasOwn(SUBSCRIPTIONS, name);
}
