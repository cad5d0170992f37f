import { describe, expect, it } from 'vitest';
import {
  AutoRevertSchema,
  EncryptedSummarySchema,
  GenerationSchema,
  PendingKeepSchema,
  RunSummarySchema,
  SecretKeysSchema,
  SecretsReportSchema,
} from '../../common';

/*
 * Schemas that share their fields with another now define them once. The JSON they accept is
 * a public contract: each still takes its whole shape, and refuses a missing field, a null
 * where none may be, and a field it does not know.
 */

const source = {
  host: 'atlas',
  repo: '/home/ada/nixos',
  commit: 'abc123',
  dirty: false,
  lockWritten: null,
  subject: 'Add atlas',
  branch: 'main',
};

const run = {
  id: 'r1',
  kind: 'rebuild',
  status: 'succeeded',
  action: 'switch',
  ...source,
  profile: '/nix/var/nix/profiles/system',
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  generation: 3,
  storePath: null,
  exitCode: 0,
  error: null,
};

const generation = {
  number: 3,
  storePath: '/nix/store/x-nixos-system',
  current: true,
  running: true,
  booted: false,
  runningSpecialisation: null,
  bootedSpecialisation: null,
  specialisations: [],
  present: true,
  storePathGone: false,
  createdAt: null,
  ...source,
  runId: 'r1',
  nixosVersion: '25.11',
  closureBytes: null,
  kind: 'nixos',
  kernelVersion: null,
  answers: null,
  inputs: [],
};

const trial = { runId: 'r1', generation: 3, revertTo: 2 };
const owner = { path: '/home/ada/.config/sops/age/keys.txt', recipient: null };
const hostKey = { source: 'age-key', recipient: 'age1x', path: '/var/lib/x' };

function without(value: Record<string, unknown>, field: string): Record<string, unknown> {
  const { [field]: _, ...rest } = value;
  return rest;
}

describe.each([
  ['a recorded run', RunSummarySchema, run, 'dirty'],
  ['a generation', GenerationSchema, generation, 'host'],
  [
    'a trial waiting to be kept',
    PendingKeepSchema,
    { profile: 'p', ...trial, revertAction: 'switch', deadline: 'd' },
    'runId',
  ],
  ['a trial that reverted', AutoRevertSchema, trial, 'revertTo'],
  [
    'the secrets report',
    SecretsReportSchema,
    { repo: '/r', owner: { ...owner, problem: null }, files: [] },
    'owner',
  ],
  [
    "a host's secret keys",
    SecretKeysSchema,
    { owner: { ...owner, created: true }, host: hostKey },
    'owner',
  ],
  [
    "an encrypted file's summary",
    EncryptedSummarySchema,
    { values: 2, recipients: [{ recipient: 'age1x', name: null }] },
    'recipients',
  ],
] as const)('%s', (_, schema, value, required) => {
  it('accepts its whole shape', () => {
    expect(schema.safeParse(value).success).toBe(true);
  });

  it('refuses a missing field and a field it does not know', () => {
    expect(schema.safeParse(without(value, required)).success).toBe(false);
    expect(schema.safeParse({ ...value, extra: 1 }).success).toBe(false);
  });
});

describe('the shared parts', () => {
  it('keep their own nullability and strictness where they are nested', () => {
    expect(RunSummarySchema.safeParse({ ...run, dirty: 'no' }).success).toBe(false);
    expect(GenerationSchema.safeParse({ ...generation, repo: null, host: null }).success).toBe(
      true,
    );
    const keys = { owner: { ...owner, created: true }, host: hostKey };
    expect(SecretKeysSchema.safeParse({ ...keys, owner }).success).toBe(false);
    expect(
      SecretKeysSchema.safeParse({ ...keys, owner: { ...keys.owner, extra: 1 } }).success,
    ).toBe(false);
    expect(
      SecretsReportSchema.safeParse({ repo: '/r', owner: { ...owner, created: true }, files: [] })
        .success,
    ).toBe(false);
    expect(
      EncryptedSummarySchema.safeParse({
        values: 1,
        recipients: [{ recipient: 'age1x', name: null, extra: 1 }],
      }).success,
    ).toBe(false);
    expect(PendingKeepSchema.safeParse({ profile: 'p', ...trial, deadline: null }).success).toBe(
      false,
    );
  });
});
