import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import { NixstrapFailure } from '../../../common/failure';
import type { EncryptedSummary, HostKind } from '../../../common/plan';
import { shellCommand } from '../../../common/shell-word';
import { hostKind } from '../generate/inputs';
import { passwordSecretName } from '../generate/secrets';
import {
  type AgeKeyFile,
  ensureOwnerKey,
  type KeyPlaces,
  localIdentities,
  ownerKeyPath,
} from './age-keys';
import { sopsReaders } from './host-identity';
import { hostKeyNotice, resolveHostKey } from './host-key';
import { replacedHostKeys, replacedKeyNotice, replacedKeyStep } from './replaced-host-key';
import { findSopsFiles } from './repo-files';
import {
  COMMON_SECRETS,
  grantHost,
  type HostGrant,
  renderSopsConfig,
  retireRecipients,
} from './sops-config';
import {
  createSops,
  openSops,
  rotateSops,
  setSopsValue,
  summarizeSops,
  updateSopsRecipients,
} from './sops-file';
import { creationRules, parseSopsConfig, recipientNames, ruleFor, SOPS_CONFIG } from './sops-rules';

/**
 * The secrets part of a plan: `.sops.yaml` letting the host in, the host's encrypted secrets
 * file, and the shared files re-encrypted so the host can read them (`sops updatekeys`). Keys
 * are found or made here, outside the repo; the candidates carry ciphertext and a summary only.
 */
export interface SecretsSetup {
  places: KeyPlaces;
  /** Nixstrap's data dir, where a host's own age key waits to be installed. */
  dataDir: string;
}

export interface SecretsPlanRequest {
  repo: string;
  hostDir: string;
  hostName: string;
  facts: Facts;
  answers: Answers;
  /** A repo Nixstrap laid out (or a new one), which keeps shared secrets in secrets/. */
  ownLayout: boolean;
  setup: SecretsSetup;
}

export interface SecretsCandidate {
  path: string;
  content: string;
  managed: false;
  reason: string;
  encrypted?: EncryptedSummary;
}

/** A host name no machine has, to tell a rule for one host from a rule for all of them. */
const OTHER_HOST = 'nixstrap-other-host';

async function readText(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

function isFailure(error: unknown, code: string): boolean {
  return error instanceof NixstrapFailure && error.error.code === code;
}

/** The secret values the answers put in a NixOS host's own file: the user's password hash. */
function hostValues(answers: Answers, kind: HostKind): Record<string, string> {
  const hash = answers.passwordHash;
  return hash !== null && kind === 'nixos' ? { [passwordSecretName(answers.userName)]: hash } : {};
}

/**
 * The owner's recipient for the host's rule: this machine's key when `.sops.yaml` knows it,
 * else the key the file calls `owner`, else this machine's (a new setup).
 */
function ownerRecipient(config: string | null, local: AgeKeyFile | null): string | null {
  if (config === null) return local?.recipient ?? null;
  if (local && config.includes(local.recipient)) return local.recipient;
  const doc = parseSopsConfig(config);
  for (const [recipient, name] of recipientNames(doc)) if (name === 'owner') return recipient;
  return local?.recipient ?? null;
}

/**
 * The host's own file: created, or brought up to date with its recipients and values; with a
 * new data key when `rotate` (a reader leaves).
 */
async function hostFileContent(
  file: string,
  disk: string | null,
  values: Record<string, string>,
  recipients: string[],
  identities: string[],
  rotate: boolean,
): Promise<string> {
  if (disk === null) return createSops(values, recipients, file);
  const summary = summarizeSops(disk, file);
  const sameReaders =
    summary.recipients.length === recipients.length &&
    recipients.every((r) => summary.recipients.includes(r));
  if (sameReaders && !rotate && Object.keys(values).length === 0) return disk;
  let text = disk;
  for (const [name, value] of Object.entries(values)) {
    const opened = await openSops(text, identities, file);
    const index = opened.leaves.findIndex(
      (leaf) => leaf.path.length === 1 && leaf.path[0] === name,
    );
    if (opened.values[index]?.plain.toString('utf8') !== value) {
      text = await setSopsValue(opened, name, value);
    }
  }
  if (rotate) return rotateSops(await openSops(text, identities, file), recipients);
  return sameReaders
    ? text
    : updateSopsRecipients(await openSops(text, identities, file), recipients);
}

/** The owner's key is the only one that can change the secrets of a repo it starts. */
function ownerKeyBackupStep(key: AgeKeyFile): string {
  return key.created
    ? `Your age key was created at ${key.path}: back it up now (a password manager or an offline copy). Without it nobody can change these secrets; it never goes into the repo.`
    : `Back up your age key, ${key.path}, if you have not yet (a password manager or an offline copy): these secrets are encrypted for it, and without it nobody can change them. It never goes into the repo.`;
}

/** Whether the keys here open a file: the owner's key, for a host's file. */
async function opens(text: string, identities: string[], file: string): Promise<boolean> {
  try {
    await openSops(text, identities, file);
    return true;
  } catch (error) {
    if (isFailure(error, 'SECRETS_NO_KEY')) return false;
    throw error;
  }
}

/**
 * The owner's key where sops looks for it, or null. A repo with a `.sops.yaml` names the
 * owner's recipient there, so a key file that cannot be used (garbled, unreadable) only keeps
 * the plan from re-encrypting what needs the key, as when there is none: `damaged` says why.
 * A new setup needs the key itself, and is refused.
 */
async function ownerKeyFor(
  places: KeyPlaces,
  configOnDisk: string | null,
): Promise<{ local: AgeKeyFile | null; damaged: NixstrapFailure | null }> {
  try {
    return { local: await ensureOwnerKey(places, configOnDisk === null), damaged: null };
  } catch (error) {
    if (configOnDisk === null || !isFailure(error, 'SECRETS_KEY_INVALID')) throw error;
    return { local: null, damaged: error as NixstrapFailure };
  }
}

export async function planSecrets(
  req: SecretsPlanRequest,
): Promise<{ candidates: SecretsCandidate[]; warnings: string[]; steps: string[] }> {
  const { repo, hostDir, hostName, setup } = req;
  const configOnDisk = await readText(path.join(repo, SOPS_CONFIG));
  const { local, damaged } = await ownerKeyFor(setup.places, configOnDisk);
  const host = await resolveHostKey(req.facts, hostName, setup.dataDir);
  const identities = await localIdentities(setup.places);
  const hostFile = path.posix.join(hostDir, 'secrets.yaml');
  const hostDisk = await readText(path.join(repo, hostFile));
  const commonOnDisk = await readText(path.join(repo, COMMON_SECRETS));
  // The host's replaced keys leave only where the owner's key can re-encrypt without them.
  const replaced = replacedHostKeys(configOnDisk, hostDisk, hostFile, hostName, host.recipient);
  const retired =
    replaced.length > 0 && (await opens(hostDisk!, identities, hostFile)) ? replaced : [];
  const configKept =
    configOnDisk === null || retired.length === 0
      ? configOnDisk
      : retireRecipients(configOnDisk, retired);
  const grant: HostGrant = {
    hostName,
    recipient: host.recipient,
    owner: ownerRecipient(configOnDisk, local),
    hostFile,
    otherHostFile: path.posix.join(path.posix.dirname(hostDir), OTHER_HOST, 'secrets.yaml'),
    commonFile: req.ownLayout || commonOnDisk !== null ? COMMON_SECRETS : null,
  };
  const warnings: string[] = damaged
    ? [`${damaged.error.message} The plan goes on without it. ${damaged.error.hint}`]
    : [];
  // Keys to put in place or back up, and files to re-key: what the owner must do by hand.
  const steps: string[] = [];
  // Said by every plan that brings the repo its first .sops.yaml, not only by the one that made
  // the key: the write re-plans (and the owner may plan again) once the key is there.
  if (local && configOnDisk === null) steps.push(ownerKeyBackupStep(local));
  const notice = hostKeyNotice(req.facts, hostName, host);
  if (notice) steps.push(notice);
  const edit =
    configKept === null
      ? { text: renderSopsConfig({ ...grant, owner: local!.recipient }), warnings: [] }
      : grantHost(configKept, grant);
  warnings.push(...edit.warnings);
  if (retired.length > 0) warnings.push(replacedKeyNotice(hostName, retired));
  const doc = parseSopsConfig(edit.text);
  const rules = creationRules(doc);
  const names = recipientNames(doc);
  const summary = (content: string, file: string): EncryptedSummary => {
    const { values, recipients } = summarizeSops(content, file);
    return {
      values,
      recipients: recipients.map((r) => ({ recipient: r, name: names.get(r) ?? null })),
    };
  };
  const candidates: SecretsCandidate[] = [
    {
      path: SOPS_CONFIG,
      content: edit.text,
      managed: false,
      reason:
        configOnDisk === null
          ? 'Who can read which secrets: you, and each host its own file and the shared ones in secrets/.'
          : retired.length > 0
            ? `Lets host ${hostName} read its own secrets file and the shared ones with its new key, and no longer with its old one; the rest of .sops.yaml is unchanged.`
            : `Lets host ${hostName} read its own secrets file and the shared ones; the rest of .sops.yaml is unchanged.`,
    },
  ];
  const encrypted = (file: string, content: string, reason: string) =>
    candidates.push({
      path: file,
      content,
      managed: false,
      reason,
      encrypted: summary(content, file),
    });
  const readersOf = (file: string) => ruleFor(rules, file)?.ageRecipients ?? [];

  try {
    const content = await hostFileContent(
      hostFile,
      hostDisk,
      hostValues(req.answers, hostKind(req.facts)),
      readersOf(hostFile),
      identities,
      retired.length > 0,
    );
    encrypted(
      hostFile,
      content,
      `Secrets of host ${hostName}, encrypted: only you and the host can read them${retired.length > 0 ? ' (re-encrypted with a new data key, without its old key; the values are unchanged)' : ''}. Edit them with \`sops ${hostFile}\`.`,
    );
  } catch (error) {
    if (!isFailure(error, 'SECRETS_NO_KEY')) throw error;
    warnings.push(
      `${hostFile} is already there and none of your age keys opens it, so it was left as it is.`,
    );
  }
  if (grant.commonFile !== null && commonOnDisk === null) {
    encrypted(
      grant.commonFile,
      await createSops({}, readersOf(grant.commonFile), grant.commonFile),
      'Secrets every host reads, encrypted for you and each host; empty for now.',
    );
  }
  const pending: string[] = [];
  // Files an old key of the host still reads, when the owner's key is not here to drop it.
  const stillRead = replaced.length > retired.length ? [hostFile] : [];
  for (const file of await findSopsFiles(repo)) {
    const readers = readersOf(file);
    const disk = await readText(path.join(repo, file));
    if (file === hostFile || disk === null) continue;
    const current = sopsReaders(disk, file) ?? [];
    const oldReader = current.some((r) => replaced.includes(r));
    if (oldReader && retired.length === 0) stillRead.push(file);
    const rotate = oldReader && retired.length > 0;
    if (!rotate && !readers.includes(host.recipient)) continue;
    if (!rotate && summarizeSops(disk, file).recipients.includes(host.recipient)) {
      encrypted(file, disk, `Shared secrets host ${hostName} reads.`);
      continue;
    }
    // A file no rule covers keeps its other readers rather than none.
    const keep =
      rotate && readers.length === 0 ? current.filter((r) => !retired.includes(r)) : readers;
    try {
      const opened = await openSops(disk, identities, file);
      encrypted(
        file,
        rotate ? await rotateSops(opened, keep) : await updateSopsRecipients(opened, keep),
        rotate
          ? `Re-encrypted with a new data key, no longer readable by host ${hostName}'s old key; its values are unchanged.`
          : `Re-encrypted so host ${hostName} can read it too; its values are unchanged.`,
      );
    } catch (error) {
      if (!isFailure(error, 'SECRETS_NO_KEY')) throw error;
      pending.push(file);
    }
  }
  if (stillRead.length > 0) steps.push(replacedKeyStep(hostName, replaced, stillRead));
  if (pending.length > 0) {
    steps.push(
      `${damaged ? `Your age key file ${ownerKeyPath(setup.places)} cannot be used` : "The owner's age key is not on this machine"}, so host ${hostName} cannot read ${pending.join(', ')} yet: on a machine that has it, run \`${shellCommand(['sops', 'updatekeys', '-y', ...pending])}\` in the repo after pulling this commit, then commit and push.`,
    );
  }
  return { candidates, warnings, steps };
}
