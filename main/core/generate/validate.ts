import {
  type AnswerIssue,
  type Answers,
  AnswersSchema,
  type GitIdentity,
} from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { HOST_NAME } from '../../../common/host-name';
import { NixstrapFailure } from '../../../common/result';
import { uniqueSshKeys } from '../../../common/ssh-keys';
import { accessIssues, remoteOnlyReason } from '../access';
import { answerRuleIssues, SYSTEM_USER_PREFIXES, SYSTEM_USERS, USER_NAME } from './answer-rules';
import { machineBlockers } from './blockers';
import { answerChoices, ignoredAnswerIssues } from './choices';

export type AnswersValidation = { ok: true; value: Answers } | { ok: false; issues: AnswerIssue[] };

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shapeIssues(input: unknown): { value: Answers } | { issues: AnswerIssue[] } {
  const parsed = AnswersSchema.safeParse(input);
  if (parsed.success) return { value: parsed.data };
  const issues = parsed.error.issues.flatMap((issue): AnswerIssue[] => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const field = base === '' ? key : `${base}.${key}`;
        return { field, message: `${field} is not a known field`, kind: 'invalid' };
      });
    }
    const field = base === '' ? '(answers)' : base;
    // A hand-written answers file most often just lacks a field; zod's words for that are its own.
    if (base !== '' && valueAt(input, issue.path) === undefined) {
      return [{ field, message: `${field} is missing`, kind: 'invalid' }];
    }
    return [{ field, message: `${field}: ${issue.message}`, kind: 'invalid' }];
  });
  return { issues };
}

/**
 * Checks the wizard's answers: the shape first (unknown fields are errors), then the rules,
 * and with the machine's facts also what that machine would ignore and whether the owner
 * could still log in after the switch. The value has each SSH key once; issues name keys by
 * their place in the list as given.
 * `fullName`, `git.name` and `git.email` may be empty: the git identity is then left unset.
 */
export function validateAnswers(input: unknown, facts?: Facts): AnswersValidation {
  const shape = shapeIssues(input);
  if ('issues' in shape) return { ok: false, issues: shape.issues };
  const answers = {
    ...shape.value,
    sshAuthorizedKeys: uniqueSshKeys(shape.value.sshAuthorizedKeys),
  };
  const issues = answerRuleIssues(shape.value);
  if (facts) issues.push(...ignoredAnswerIssues(facts, answers), ...accessIssues(facts, answers));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: answers };
}

/** The refusal for answers that fail: a lockout is named as one, before any other issue. */
export function answersRefusal(issues: readonly AnswerIssue[]): NixstrapFailure {
  const lockouts = issues.filter((issue) => issue.kind === 'lockout');
  const sentences = [...lockouts, ...issues.filter((issue) => issue.kind !== 'lockout')].map(
    (issue) => issue.message.replace(/\.$/, ''),
  );
  const more =
    sentences.length > 1
      ? `; and ${sentences.length - 1} more: ${sentences.slice(1).join('; ')}`
      : '';
  const text = `${sentences[0] ?? 'unknown problem'}${more}.`;
  return lockouts.length > 0
    ? // The issues are what to do ("Set a password for alice: …"): they are the hint.
      new NixstrapFailure(
        'ACCESS_LOCKED_OUT',
        'After a switch to this configuration nobody could log in.',
        `${text} Do that in the wizard, next to the field, or in the answers file, and try again.`,
      )
    : new NixstrapFailure(
        'ANSWERS_INVALID',
        `The answers are not valid: ${text}`,
        'Fix the named fields (in the wizard, or in the answers file) and try again.',
      );
}

/**
 * The answers for this machine, or the refusal: first what keeps Nixstrap from configuring
 * the machine at all, then every answer rule, the machine's and the access check.
 */
export function answersForMachine(input: unknown, facts: Facts): Answers {
  const blocker = machineBlockers(facts)[0];
  if (blocker) throw new NixstrapFailure(blocker.code, blocker.message, blocker.hint);
  const result = validateAnswers(input, facts);
  if (!result.ok) throw answersRefusal(result.issues);
  return result.value;
}

/** A detected name made a host name, lowercase as NixOS recommends though its rule takes either case. */
function sanitizeHostName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .split('.')[0]!
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  return HOST_NAME.test(cleaned) ? cleaned : 'nixos';
}

function sanitizeUserName(name: string): string {
  const cleaned = name.toLowerCase();
  const valid =
    USER_NAME.test(cleaned) &&
    cleaned.length <= 32 &&
    !SYSTEM_USERS.has(cleaned) &&
    !SYSTEM_USER_PREFIXES.some((prefix) => cleaned.startsWith(prefix));
  return valid ? cleaned : 'nixos';
}

/**
 * Answers prefilled from what detection found and the user's own git identity. They pass
 * every rule but the ones only the owner can meet: a password and, where SSH is the only way
 * in, a key.
 */
export function defaultAnswers(facts: Facts, git: GitIdentity = { name: '', email: '' }): Answers {
  const choices = answerChoices(facts);
  const headless =
    facts.kind === 'vm' ||
    facts.kind === 'container' ||
    facts.kind === 'raspberry-pi' ||
    remoteOnlyReason(facts, 'none') !== null;
  const answers: Answers = {
    hostName: sanitizeHostName(facts.hostName),
    userName: sanitizeUserName(facts.userName),
    fullName: '',
    timeZone: facts.timeZone ?? 'UTC',
    locale: choices.locale ? (facts.locale ?? 'en_US.UTF-8') : '',
    keyboardLayout: choices.keyboard ? (facts.keyboard?.layout ?? 'us') : '',
    keyboardVariant: choices.keyboard ? (facts.keyboard?.variant ?? '') : '',
    profile: 'essential',
    desktop: 'none',
    services: headless && choices.services.includes('openssh') ? ['openssh'] : [],
    toolchains: [],
    editor: 'neovim',
    shell: 'bash',
    sshAuthorizedKeys: [],
    git,
    channel: 'stable',
    allowUnfree: false,
    secrets: true,
    passwordHash: null,
    sshPasswordLogin: false,
  };
  return withoutRefusedRegionals(answers);
}

/**
 * The machine's time zone, locale or keyboard put back to the plain defaults where the answers'
 * rules would refuse what the machine said (a locale without a charset, a zone this Node does
 * not know): a suggestion is never an error the owner has to fix.
 */
function withoutRefusedRegionals(answers: Answers): Answers {
  const refused = new Set(answerRuleIssues(answers).map((issue) => issue.field));
  const keyboard = refused.has('keyboardLayout') || refused.has('keyboardVariant');
  return {
    ...answers,
    timeZone: refused.has('timeZone') ? 'UTC' : answers.timeZone,
    locale: refused.has('locale') ? 'en_US.UTF-8' : answers.locale,
    keyboardLayout: keyboard ? 'us' : answers.keyboardLayout,
    keyboardVariant: keyboard ? '' : answers.keyboardVariant,
  };
}
