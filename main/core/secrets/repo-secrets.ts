import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NixstrapFailure } from '../../../common/failure';
import type {
  NamedRecipient,
  RotateResult,
  SecretsFile,
  SecretsReport,
  SetSecretResult,
} from '../../../common/secrets';
import { secretNixLine } from '../../../common/secrets';
import { commitRepoFiles } from '../repo/apply/commit-files';
import { assertRepoExists, listHosts } from '../repo/inspect/hosts';
import { ensureOwnerKey, type KeyPlaces, localIdentities, ownerKeyPath } from './age-keys';
import { findSopsFiles } from './repo-files';
import { COMMON_SECRETS } from './sops-config';
import { createSops, openSops, rotateSops, setSopsValue, summarizeSops } from './sops-file';
import { creationRules, parseSopsConfig, recipientNames, ruleFor, SOPS_CONFIG } from './sops-rules';

/**
 * A repo's secrets as the CLI and the wizard handle them: a report that never opens a file,
 * setting one value (read from standard input by the CLI), and rotating every data key. Each
 * change is written atomically and committed, so a flake sees it.
 */
export type SecretTarget = { host: string } | { common: true };

export async function readText(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

async function readConfig(repo: string) {
  const text = await readText(path.join(repo, SOPS_CONFIG));
  if (text === null) return null;
  const doc = parseSopsConfig(text);
  return { rules: creationRules(doc), names: recipientNames(doc) };
}

export async function secretsReport(repo: string, places: KeyPlaces): Promise<SecretsReport> {
  await assertRepoExists(repo);
  const config = await readConfig(repo);
  const named = (recipients: readonly string[]): NamedRecipient[] =>
    recipients.map((recipient) => ({ recipient, name: config?.names.get(recipient) ?? null }));
  const files: SecretsFile[] = [];
  for (const file of await findSopsFiles(repo)) {
    const rule = config ? ruleFor(config.rules, file) : null;
    const wanted = rule ? named(rule.ageRecipients) : null;
    const text = (await readText(path.join(repo, file))) ?? '';
    try {
      const { names, values, recipients } = summarizeSops(text, file);
      files.push({
        path: file,
        names,
        values,
        recipients: named(recipients),
        wanted,
        problem: null,
      });
    } catch (error) {
      if (!(error instanceof NixstrapFailure)) throw error;
      const problem = error.error.message;
      files.push({ path: file, names: [], values: 0, recipients: [], wanted, problem });
    }
  }
  return { repo, owner: await ownerKeyReport(places), files };
}

/** The owner's key for a report, which needs no key: a damaged key file is said, not thrown. */
async function ownerKeyReport(places: KeyPlaces): Promise<SecretsReport['owner']> {
  const where = ownerKeyPath(places);
  try {
    const owner = await ensureOwnerKey(places, false);
    return { path: where, recipient: owner?.recipient ?? null, problem: null };
  } catch (error) {
    if (!(error instanceof NixstrapFailure) || error.error.code !== 'SECRETS_KEY_INVALID')
      throw error;
    return { path: where, recipient: null, problem: error.error.message };
  }
}

/**
 * A file opened with this machine's keys. When none opens it and the owner's key file is
 * damaged, that damage is the likelier cause, and is what is said.
 */
async function openHere(text: string, file: string, places: KeyPlaces) {
  try {
    return await openSops(text, await localIdentities(places), file);
  } catch (error) {
    if (error instanceof NixstrapFailure && error.error.code === 'SECRETS_NO_KEY')
      await ensureOwnerKey(places, false);
    throw error;
  }
}

/** The repo-relative secrets file of a host (`<its folder>/secrets.yaml`) or the shared one. */
/** The secrets file a target reads: a host's own, or the shared one. */
export async function targetFile(repo: string, target: SecretTarget): Promise<string> {
  if ('common' in target) return COMMON_SECRETS;
  const hosts = await listHosts(repo);
  const host = hosts.find((h) => h.name === target.host);
  if (!host) {
    throw new NixstrapFailure(
      'HOST_NOT_FOUND',
      `The repo has no host called ${target.host}.`,
      hosts.length
        ? `Its hosts are ${hosts.map((h) => h.name).join(', ')}.`
        : 'It has no hosts yet: keep it as a common secret, for every host, instead.',
    );
  }
  return path.posix.join(host.path === '.' ? '' : host.path, 'secrets.yaml');
}

export async function setSecret(
  repo: string,
  target: SecretTarget,
  name: string,
  value: string,
  places: KeyPlaces,
): Promise<SetSecretResult> {
  await assertRepoExists(repo);
  const file = await targetFile(repo, target);
  const disk = await readText(path.join(repo, file));
  let content: string;
  if (disk === null) {
    const config = await readConfig(repo);
    if (config === null) {
      throw new NixstrapFailure(
        'SECRETS_CONFIG_UNCLEAR',
        `${repo} has no .sops.yaml: it was set up without secrets, so nobody is named to read ${file}, and nothing was written.`,
        'Turn secrets on for a host first (“Set up encrypted secrets” in the app, or "secrets": true in the answers when adding it again), which writes .sops.yaml; then set the secret again.',
      );
    }
    const rule = ruleFor(config.rules, file);
    if (rule === null || rule.ageRecipients.length === 0) {
      throw new NixstrapFailure(
        'SECRETS_CONFIG_UNCLEAR',
        `No rule in .sops.yaml says who may read ${file}, so Nixstrap will not guess and wrote nothing.`,
        "Add a creation rule for it with the age keys that should read it (the repo's secrets list the keys in use).",
      );
    }
    content = await createSops({ [name]: value }, rule.ageRecipients, file);
  } else {
    const opened = await openHere(disk, file, places);
    content = await setSopsValue(opened, name, value);
  }
  const message = `nixstrap: set secret ${name} in ${file}\n`;
  const commit = await commitRepoFiles(repo, [{ path: file, content }], message);
  return {
    file,
    name,
    created: disk === null,
    commit,
    nixLine: secretNixLine(name, file === COMMON_SECRETS),
  };
}

/**
 * A new data key for every SOPS file (`sops rotate`), all or nothing: every file is opened and
 * re-encrypted in memory before the first one is written.
 */
export async function rotateSecrets(repo: string, places: KeyPlaces): Promise<RotateResult> {
  await assertRepoExists(repo);
  const files = await findSopsFiles(repo);
  const rotated: { file: string; content: string }[] = [];
  for (const file of files) {
    const text = (await readText(path.join(repo, file))) ?? '';
    rotated.push({ file, content: await rotateSops(await openHere(text, file, places)) });
  }
  if (rotated.length === 0) return { files: [], commit: null };
  const message = `nixstrap: new data keys for ${files.length} secrets file(s)\n\n${files.map((f) => `- ${f}`).join('\n')}\n`;
  const written = rotated.map(({ file, content }) => ({ path: file, content }));
  return { files, commit: await commitRepoFiles(repo, written, message) };
}
