import { describe, expect, it } from 'vitest';
import {
  grantHost,
  type HostGrant,
  renderSopsConfig,
  retireRecipients,
} from '../../../main/core/secrets/sops-config';
import { creationRules, parseSopsConfig, ruleFor } from '../../../main/core/secrets/sops-rules';
import { SAMPLE_RECIPIENTS } from '../../helpers/sample-recipients';

const [OWNER, ATLAS, PI, WEB] = SAMPLE_RECIPIENTS;

function grant(name: string, recipient: string, dir = 'hosts/nixos'): HostGrant {
  return {
    hostName: name,
    recipient,
    owner: OWNER,
    hostFile: `${dir}/${name}/secrets.yaml`,
    otherHostFile: `${dir}/nixstrap-other-host/secrets.yaml`,
    commonFile: 'secrets/common.yaml',
  };
}

function readers(text: string, file: string): string[] | null {
  return ruleFor(creationRules(parseSopsConfig(text)), file)?.ageRecipients ?? null;
}

async function failure(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return (error as { error?: { code: string; message: string } }).error;
  }
  return null;
}

describe('a new repo gets a .sops.yaml people would write', () => {
  const text = renderSopsConfig({ ...grant('atlas', ATLAS), owner: OWNER });

  it('names keys with anchors and gives each file its readers', () => {
    expect(text).toContain(`  - &owner ${OWNER}\n  - &host_atlas ${ATLAS}\n`);
    expect(text).toContain('path_regex: ^hosts/nixos/atlas/secrets\\.yaml$');
    expect(text).toMatch(/- age:\n {10}- \*owner\n {10}- \*host_atlas/);
    expect(readers(text, 'hosts/nixos/atlas/secrets.yaml')).toEqual([OWNER, ATLAS]);
    expect(readers(text, 'secrets/common.yaml')).toEqual([OWNER, ATLAS]);
    expect(readers(text, 'hosts/nixos/other/secrets.yaml')).toBeNull();
  });

  it('names host files as the repo lays them out, in its header', () => {
    expect(text).toContain('# hosts/<kind>/<name>/secrets.yaml and the shared files');
    const byHand = renderSopsConfig({ ...grant('newbox', ATLAS, 'hosts'), owner: OWNER });
    expect(byHand).toContain('# hosts/<name>/secrets.yaml and the shared files');
    const machines = renderSopsConfig({ ...grant('newbox', ATLAS, 'machines'), owner: OWNER });
    expect(machines).toContain('# machines/<name>/secrets.yaml and the shared files');
  });

  it('a second host reads its own file and the shared ones, never the first host’s', () => {
    const { text: next, warnings } = grantHost(text, grant('pi', PI));
    expect(warnings).toEqual([]);
    expect(readers(next, 'hosts/nixos/pi/secrets.yaml')).toEqual([OWNER, PI]);
    expect(readers(next, 'hosts/nixos/atlas/secrets.yaml')).toEqual([OWNER, ATLAS]);
    expect(readers(next, 'secrets/common.yaml')).toEqual([OWNER, ATLAS, PI]);
    expect(next).toContain(`  - &host_pi ${PI}\n`);
  });

  it('adding the same host again changes nothing, byte for byte', () => {
    expect(grantHost(text, grant('atlas', ATLAS)).text).toBe(text);
  });
});

describe('a foreign .sops.yaml gains the host only in its matching rules', () => {
  const foreign = `# Keys of the people and machines here.
keys:
- &admin ${OWNER} # my laptop
- &web ${WEB}
creation_rules:
# The web server's own secrets.
- path_regex: hosts/web/secrets\\.yaml$
  key_groups:
  - age:
    - *admin
    - *web
- path_regex: secrets/common\\.yaml$
  age: ${OWNER},${WEB}
- path_regex: backups/.*
  pgp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21
`;

  it('adds a rule for the new host’s file and the host to the shared rule, keeping the rest', () => {
    const { text, warnings } = grantHost(foreign, grant('db', PI, 'hosts'));
    expect(warnings).toEqual([]);
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER, PI]);
    expect(readers(text, 'secrets/common.yaml')).toEqual([OWNER, WEB, PI]);
    expect(readers(text, 'hosts/web/secrets.yaml')).toEqual([OWNER, WEB]);
    expect(text).toContain('# Keys of the people and machines here.\n');
    expect(text).toContain(`- &admin ${OWNER} # my laptop\n`);
    expect(text).toContain("# The web server's own secrets.\n");
    expect(text).toContain('  pgp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21\n');
    expect(text).toMatch(
      /- path_regex: \^hosts\/db\/secrets\\.yaml\$\n {2}key_groups:\n {2}- age:\n {4}- \*admin\n {4}- \*host_db\n/,
    );
    // Lines were only added, apart from the shared rule's list of keys, which grew.
    const kept = foreign.split('\n').filter((line) => !line.startsWith('  age: '));
    let at = 0;
    for (const line of text.split('\n')) if (line === kept[at]) at += 1;
    expect(at).toBe(kept.length);
  });

  it('a broad rule for every host’s file is not widened: the host gets a rule of its own before it', () => {
    const broad = `creation_rules:
  - path_regex: hosts/[^/]+/secrets\\.yaml$
    age: ${OWNER},${WEB}
`;
    const { text } = grantHost(broad, { ...grant('db', PI, 'hosts'), commonFile: null });
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER, PI]);
    expect(readers(text, 'hosts/web/secrets.yaml')).toEqual([OWNER, WEB]);
  });

  it('a shared rule that also covers other hosts’ files is left alone, with a warning', () => {
    const catchAll = `creation_rules:
  - path_regex: hosts/db/secrets\\.yaml$
    age: ${OWNER}
  - age: ${OWNER},${WEB}
`;
    const { text, warnings } = grantHost(catchAll, grant('db', PI, 'hosts'));
    expect(readers(text, 'secrets/common.yaml')).toEqual([OWNER, WEB]);
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER, PI]);
    expect(warnings[0]).toMatch(/also covers other hosts' own secrets/);
  });
});

describe('a replaced host key leaves .sops.yaml', () => {
  const config = `# Keys of the people and machines here.
keys:
  - &admin ${OWNER} # my laptop
  - &host_db ${PI}
  - &web ${WEB}
creation_rules:
  # The database's own secrets.
  - path_regex: hosts/db/secrets\\.yaml$
    key_groups:
      - age:
          - *admin
          - *host_db
  - path_regex: secrets/common\\.yaml$
    age: ${OWNER},${PI},${WEB}
  - path_regex: backups/.*
    age:
      - ${PI}
      - ${WEB}
`;

  it('out of every rule and the key list, the rest as written', () => {
    const text = retireRecipients(config, [PI]);
    expect(text).not.toContain(PI);
    expect(text).not.toContain('host_db');
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER]);
    expect(readers(text, 'secrets/common.yaml')).toEqual([OWNER, WEB]);
    expect(readers(text, 'backups/today')).toEqual([WEB]);
    expect(text).toContain(`  - &admin ${OWNER} # my laptop\n`);
    expect(text).toContain("  # The database's own secrets.\n");
    const kept = config
      .split('\n')
      .filter((line) => !line.includes(PI) && !line.includes('host_db'));
    expect(text.split('\n').filter((line) => !line.startsWith('    age: '))).toEqual(
      kept.filter((line) => !line.startsWith('    age: ')),
    );
  });

  it('then the new key joins under the old name', () => {
    const { text } = grantHost(retireRecipients(config, [PI]), grant('db', ATLAS, 'hosts'));
    expect(text).toContain(`  - &host_db ${ATLAS}\n`);
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER, ATLAS]);
  });

  it('keeps a key that something else still refers to, so the file stays valid YAML', () => {
    const elsewhere = `${config}  - path_regex: archive/.*\n    age: *host_db\n`;
    const text = retireRecipients(elsewhere, [PI]);
    expect(text).toContain(`  - &host_db ${PI}\n`);
    expect(readers(text, 'hosts/db/secrets.yaml')).toEqual([OWNER]);
    expect(readers(text, 'archive/old')).toEqual([PI]);
  });

  it('a file without the key stays byte for byte', () => {
    expect(retireRecipients(config, [ATLAS])).toBe(config);
  });
});

describe('where it cannot tell, it refuses in one sentence', () => {
  it('a rule for the host’s file that uses only PGP keys', async () => {
    const pgp = `creation_rules:
  - path_regex: hosts/db/secrets\\.yaml$
    key_groups:
      - pgp:
          - 85D77543B3D624B63CEA9E6DBC17301B491B3F21
`;
    expect(await failure(() => grantHost(pgp, grant('db', PI, 'hosts')))).toMatchObject({
      code: 'SECRETS_CONFIG_UNCLEAR',
      message: expect.stringContaining('uses only pgp keys'),
    });
  });

  it('a rule that splits keys into two groups (Shamir)', async () => {
    const shamir = `creation_rules:
  - path_regex: hosts/db/secrets\\.yaml$
    key_groups:
      - age: [${OWNER}]
      - age: [${WEB}]
`;
    expect(await failure(() => grantHost(shamir, grant('db', PI, 'hosts')))).toMatchObject({
      code: 'SECRETS_CONFIG_UNCLEAR',
      message: expect.stringContaining('2 key groups'),
    });
  });

  it('no rule for the host’s file, and the owner’s key is not in the file', async () => {
    const strangers = `creation_rules:
  - path_regex: secrets/.*
    age: ${WEB}
`;
    expect(await failure(() => grantHost(strangers, grant('db', PI, 'hosts')))).toMatchObject({
      code: 'SECRETS_CONFIG_UNCLEAR',
      message: expect.stringContaining(`Your age key (${OWNER}) is not in .sops.yaml`),
    });
  });

  it('a .sops.yaml that does not parse', async () => {
    expect(await failure(() => grantHost('creation_rules: [\n', grant('db', PI)))).toMatchObject({
      code: 'SECRETS_CONFIG_INVALID',
      message: expect.stringContaining('.sops.yaml is not valid YAML'),
    });
  });
});
