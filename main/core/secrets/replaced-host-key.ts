import { shellCommand } from '../../../common/shell-word';
import { andList } from '../../../common/words';
import { sopsReaders } from './host-identity';
import { escapeRegExp } from './sops-config';
import { parseSopsConfig, recipientNames, SOPS_CONFIG } from './sops-rules';

/**
 * A machine reinstalled without its SSH host key (or with an empty data dir) comes back to its
 * host with a new key. The old one may be lost or in other hands, so it should stop reading the
 * host's secrets, as `sops updatekeys` and `sops rotate` would do: it knew the old data key.
 */

/**
 * The host's keys its secrets file is encrypted for but this machine no longer has: readers that
 * `.sops.yaml` names as the host's (`host_<name>`, or `host_<name>_2` … for a later one), when
 * the file is not encrypted for the machine's key. A key named otherwise may be someone else's,
 * so it stays.
 */
export function replacedHostKeys(
  config: string | null,
  hostText: string | null,
  hostFile: string,
  hostName: string,
  recipient: string,
): string[] {
  if (config === null || hostText === null) return [];
  const readers = sopsReaders(hostText, hostFile);
  if (readers === null || readers.includes(recipient)) return [];
  const names = recipientNames(parseSopsConfig(config));
  const hostKeyName = new RegExp(`^host_${escapeRegExp(hostName)}(_\\d+)?$`);
  return readers.filter((reader) => hostKeyName.test(names.get(reader) ?? ''));
}

function oldKeys(hostName: string, keys: readonly string[]): string {
  return `the old ${keys.length === 1 ? 'key' : 'keys'} of ${hostName} (${andList(keys)})`;
}

/** What the plan does about the old keys, when the owner's key is here to re-encrypt. */
export function replacedKeyNotice(hostName: string, keys: readonly string[]): string {
  const subject = oldKeys(hostName, keys);
  return `${subject[0]!.toUpperCase()}${subject.slice(1)} no longer ${keys.length === 1 ? 'reads' : 'read'} its secrets; the secrets are re-encrypted with a new data key.`;
}

/** What the owner must run where their key is, when it is not here and nothing was removed. */
export function replacedKeyStep(
  hostName: string,
  keys: readonly string[],
  files: readonly string[],
): string {
  const subject = oldKeys(hostName, keys);
  const rotations = andList(
    files.map((file) => `\`${shellCommand(['sops', 'rotate', '-i', file])}\``),
  );
  return `${subject[0]!.toUpperCase()}${subject.slice(1)} still ${keys.length === 1 ? 'reads' : 'read'} its secrets, because your age key is not on this machine: on a machine that has it, after pulling this commit, delete ${keys.length === 1 ? 'that key' : 'those keys'} and ${keys.length === 1 ? 'its' : 'their'} aliases from ${SOPS_CONFIG}, run \`${shellCommand(['sops', 'updatekeys', '-y', ...files])}\`, then ${rotations}, and commit and push (or put your age key on this machine and run Nixstrap again here).`;
}
