import path from 'node:path';
import {
  type AttrSet,
  attrSets,
  literalAttrSetValue,
  readSyntax,
  type Syntax,
  unlessSyntaxError,
} from '../nix';
import { nixFilesIn } from '../repo/layout';
import { readText } from './repo-secrets';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when `full` declares or reads `sops.secrets.<name>` somewhere along it. */
function reachesSecret(full: readonly (string | null)[], name: string): boolean {
  for (let i = 0; i + 2 < full.length; i++) {
    if (full[i] === 'sops' && full[i + 1] === 'secrets' && full[i + 2] === name) return true;
  }
  return false;
}

/** The bindings of `set` and of the literal sets inside them, each under its whole path. */
function declares(syn: Syntax, set: AttrSet, prefix: (string | null)[], name: string): boolean {
  for (const binding of set.bindings) {
    if (binding.kind !== 'assign') continue;
    const full = [...prefix, ...binding.path];
    if (reachesSecret(full, name)) return true;
    const inner = literalAttrSetValue(syn, binding);
    if (inner && declares(syn, inner, full, name)) return true;
  }
  return false;
}

/**
 * True when a Nix source uses the secret: `sops.secrets.NAME` (bare or quoted) written out, as a
 * declaration or read as `config.sops.secrets.NAME.path`, or declared inside nested sets, as
 * `sops.secrets = { NAME = …; }` or `sops = { secrets.NAME = …; }`. A name built at evaluation
 * (`${…}`, `lib.mkIf`, a function) is not seen.
 */
export function usesSecret(source: string, name: string): boolean {
  const written = new RegExp(`sops\\.secrets\\.(?:"${escaped(name)}"|${escaped(name)}(?![\\w'-]))`);
  if (written.test(source)) return true;
  return unlessSyntaxError(() => {
    const syn = readSyntax(source);
    return attrSets(syn).some((set) => declares(syn, set, [], name));
  }, false);
}

/** The repo's .nix files (untracked ones too) that use the secret, sorted. */
export async function filesUsingSecret(repo: string, name: string): Promise<string[]> {
  const using: string[] = [];
  for (const file of await nixFilesIn(repo, { untracked: true })) {
    if (usesSecret((await readText(path.join(repo, file))) ?? '', name)) using.push(file);
  }
  return using;
}
