import { describe, expect, it } from 'vitest';
import {
  replacedHostKeys,
  replacedKeyNotice,
  replacedKeyStep,
} from '../../../main/core/secrets/replaced-host-key';
import { SAMPLE_RECIPIENTS } from '../../helpers/sample-recipients';

const [OWNER, OLD, OLDER, NEW] = SAMPLE_RECIPIENTS;
const FILE = 'hosts/nixos/db/secrets.yaml';

/** A SOPS file's metadata for these readers; nothing in it is decrypted. */
function sopsFile(readers: string[]): string {
  const age = readers
    .map((r) => `        - recipient: ${r}\n          enc: |\n            not read here\n`)
    .join('');
  return `token: ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]\nsops:\n    age:\n${age}    lastmodified: "2026-01-01T00:00:00Z"\n    mac: ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==,type:str]\n    version: 3.9.4\n`;
}

function config(names: Record<string, string>): string {
  const keys = Object.entries(names).map(([name, key]) => `  - &${name} ${key}\n`);
  return `keys:\n${keys.join('')}creation_rules: []\n`;
}

describe('a host’s replaced keys are the readers .sops.yaml names as that host’s', () => {
  const named = config({ owner: OWNER, host_db: OLD, host_db_2: OLDER, host_dbx: NEW });

  it('host_<name> and host_<name>_N, not the owner nor another host', () => {
    const text = sopsFile([OWNER, OLD, OLDER]);
    expect(replacedHostKeys(named, text, FILE, 'db', NEW)).toEqual([OLD, OLDER]);
    const other = config({ owner: OWNER, host_dbx: OLD, admin: OLDER });
    expect(replacedHostKeys(other, text, FILE, 'db', NEW)).toEqual([]);
  });

  it('none while the file is encrypted for the machine’s key, or when a file is missing', () => {
    expect(replacedHostKeys(named, sopsFile([OWNER, OLD, NEW]), FILE, 'db', NEW)).toEqual([]);
    expect(replacedHostKeys(null, sopsFile([OWNER, OLD]), FILE, 'db', NEW)).toEqual([]);
    expect(replacedHostKeys(named, null, FILE, 'db', NEW)).toEqual([]);
    expect(replacedHostKeys(named, 'not: sops\n', FILE, 'db', NEW)).toEqual([]);
  });
});

describe('the plan’s sentences about them', () => {
  it('one key, or several', () => {
    expect(replacedKeyNotice('db', [OLD])).toBe(
      `The old key of db (${OLD}) no longer reads its secrets; the secrets are re-encrypted with a new data key.`,
    );
    expect(replacedKeyStep('db', [OLD, OLDER], [FILE])).toBe(
      `The old keys of db (${OLD} and ${OLDER}) still read its secrets, because your age key is not on this machine: on a machine that has it, after pulling this commit, delete those keys and their aliases from .sops.yaml, run \`sops updatekeys -y ${FILE}\`, then \`sops rotate -i ${FILE}\`, and commit and push (or put your age key on this machine and run Nixstrap again here).`,
    );
  });
});
