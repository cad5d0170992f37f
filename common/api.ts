import { z } from 'zod';
import { AnswerChoicesSchema, AnswerIssueSchema, AnswersSchema } from './answers';
import { FactsSchema } from './facts';
import {
  ApplyResultSchema,
  CheckReportSchema,
  HostSchema,
  JourneySchema,
  PlanSchema,
} from './plan';
import { NixstrapErrorSchema } from './result';

const AppInfoSchema = z
  .object({
    version: z.string(),
    shell: z.enum(['electron', 'browser', 'cli']),
    platform: z.string(),
    dataDir: z.string(),
  })
  .strict();
export type AppInfo = z.infer<typeof AppInfoSchema>;

const PlanRequestSchema = z
  .object({
    journey: JourneySchema,
    repo: z.string().min(1),
    answers: z.unknown(),
    /** Facts as the user corrected them on the first screen; detected afresh when absent. */
    facts: FactsSchema.optional(),
    fixture: z.string().optional(),
  })
  .strict();

/**
 * The API contract: one entry per channel, with the schema of its request and of its value.
 * Electron IPC, the browser-mode WebSocket and the CLI all go through this table, so a
 * channel is added here once and every transport validates it the same way.
 */
export const CHANNELS = {
  'app.info': { request: z.object({}).strict(), response: AppInfoSchema },
  'facts.detect': {
    request: z.object({ fixture: z.string().optional() }).strict(),
    response: FactsSchema,
  },
  'answers.defaults': {
    request: z.object({ facts: FactsSchema }).strict(),
    response: AnswersSchema,
  },
  'answers.validate': {
    /** With the facts, also what this machine would ignore and whether the owner gets in. */
    request: z.object({ answers: z.unknown(), facts: FactsSchema.optional() }).strict(),
    response: z.object({ issues: z.array(AnswerIssueSchema) }).strict(),
  },
  'facts.assess': {
    request: z.object({ facts: FactsSchema }).strict(),
    response: z
      .object({
        /** Why this machine cannot be configured at all; the engine's word, not the UI's. */
        blockers: z.array(NixstrapErrorSchema),
        choices: AnswerChoicesSchema,
        /** Facts a correction set against the rules the answers follow (the host name). */
        issues: z.array(AnswerIssueSchema),
      })
      .strict(),
  },
  'password.hash': {
    /** The password travels once, to be hashed; only the hash comes back or is kept. */
    request: z.object({ password: z.string().max(4096) }).strict(),
    response: z.object({ hash: z.string() }).strict(),
  },
  'plan.compute': { request: PlanRequestSchema, response: PlanSchema },
  'plan.apply': {
    request: PlanRequestSchema.extend({ force: z.boolean().default(false) }).strict(),
    response: ApplyResultSchema,
  },
  'hosts.list': {
    request: z.object({ repo: z.string().min(1) }).strict(),
    response: z.array(HostSchema),
  },
  'repo.check': {
    request: z.object({ repo: z.string().min(1), host: z.string().optional() }).strict(),
    response: CheckReportSchema,
  },
  'rebuild.start': {
    request: z
      .object({
        repo: z.string().min(1),
        host: z.string().min(1),
        action: z.enum(['build', 'dry-build', 'test', 'switch', 'boot']).default('switch'),
      })
      .strict(),
    response: z.object({ runId: z.string() }).strict(),
  },
  'generations.list': {
    request: z.object({ profile: z.string().optional() }).strict(),
    response: z.array(z.object({ number: z.number().int(), current: z.boolean() }).strict()),
  },
  'generations.rollback': {
    request: z
      .object({ profile: z.string().optional(), to: z.number().int().positive().optional() })
      .strict(),
    response: z.object({ number: z.number().int() }).strict(),
  },
} as const;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
export type ChannelRequest<C extends Channel> = z.input<(typeof CHANNELS)[C]['request']>;
export type ChannelValue<C extends Channel> = z.infer<(typeof CHANNELS)[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CHANNELS, name);
}

/** Events pushed from the engine to the UI (rebuild output arrives in later milestones). */
export const EVENTS = {
  'rebuild.output': z.object({ runId: z.string(), data: z.string() }).strict(),
  'rebuild.progress': z
    .object({
      runId: z.string(),
      phase: z.string(),
      done: z.number().int(),
      expected: z.number().int(),
    })
    .strict(),
  'rebuild.exit': z.object({ runId: z.string(), exitCode: z.number().int() }).strict(),
} as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;
