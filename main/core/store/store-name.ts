/** A store path's name read the way Nix splits a derivation name: `<name>-<version>`. */
export interface StoreName {
  name: string;
  /** '' when the path carries no version (`etc`, `unit-sshd.service`). */
  version: string;
}

const STORE_HASH = /^[0-9a-df-np-sv-z]{32}-/;

/**
 * Output names Nix appends to a multi-output package's path (`openssl-3.0.13-bin`): they are
 * the same package, so they are folded into its name's version rather than shown as a change.
 */
const OUTPUTS = new Set([
  'bin',
  'dev',
  'lib',
  'out',
  'man',
  'doc',
  'devdoc',
  'info',
  'static',
  'debug',
  'locales',
  'terminfo',
  'modules',
]);

/** The part after the hash: `/nix/store/<hash>-hello-2.12` → `hello-2.12`. */
export function storeBaseName(storePath: string): string {
  const base = storePath.slice(storePath.lastIndexOf('/') + 1);
  return base.replace(STORE_HASH, '');
}

/**
 * Splits like Nix's `DrvName`: the name ends at the first dash followed by a character that
 * is not a letter, so `python3.12-requests-2.31.0` is `python3.12-requests` at `2.31.0`.
 */
export function parseStoreName(storePath: string): StoreName {
  const base = storeBaseName(storePath);
  let split = -1;
  for (let i = 0; i < base.length - 1; i++) {
    if (base[i] === '-' && !/[A-Za-z]/.test(base[i + 1] as string)) {
      split = i;
      break;
    }
  }
  if (split < 0) return { name: base, version: '' };
  return { name: base.slice(0, split), version: stripOutput(base.slice(split + 1)) };
}

function stripOutput(text: string): string {
  const dash = text.lastIndexOf('-');
  if (dash > 0 && OUTPUTS.has(text.slice(dash + 1))) return text.slice(0, dash);
  return text;
}
