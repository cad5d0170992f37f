import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { createSops, openSops, sopsPlainValues } from '../../main/core/secrets';

/** The real sops, where it is installed (Debian has no package for it, so not on CI machines). */
const SOPS = spawnSync('sh', ['-c', 'command -v sops']).stdout?.toString().trim() ?? '';

describe.skipIf(SOPS === '')(
  'the real sops reads and edits what Nixstrap writes (skipped: sops is not on PATH here)',
  () => {
    async function setup() {
      const dir = mkdtempSync(join(tmpdir(), 'nixstrap-sops-'));
      const identity = await generateX25519Identity();
      const recipient = await identityToRecipient(identity);
      writeFileSync(join(dir, 'keys.txt'), `${identity}\n`, { mode: 0o600 });
      const file = join(dir, 'secrets.yaml');
      writeFileSync(
        file,
        await createSops({ wifi: 'hunter2', token: 'abc' }, [recipient], 'secrets.yaml'),
      );
      const env = { ...process.env, SOPS_AGE_KEY_FILE: join(dir, 'keys.txt') };
      return { dir, file, env, identity, recipient };
    }

    it('sops decrypts it, checking the MAC', async () => {
      const { file, env } = await setup();
      const out = execFileSync(SOPS, ['-d', '--output-type', 'json', file], {
        env,
        encoding: 'utf8',
      });
      expect(JSON.parse(out)).toEqual({ wifi: 'hunter2', token: 'abc' });
    });

    it('a value sops sets is read back by Nixstrap, MAC and all', async () => {
      const { file, env, identity } = await setup();
      execFileSync(SOPS, ['set', file, '["wifi"]', '"changed"'], { env });
      const opened = await openSops(readFileSync(file, 'utf8'), [identity], 'secrets.yaml');
      expect(sopsPlainValues(opened)).toEqual({ wifi: 'changed', token: 'abc' });
    });

    it('sops updatekeys follows the .sops.yaml Nixstrap writes', async () => {
      const { dir, file, env, recipient } = await setup();
      const host = await generateX25519Identity();
      const hostRecipient = await identityToRecipient(host);
      writeFileSync(
        join(dir, '.sops.yaml'),
        `creation_rules:\n  - path_regex: secrets\\.yaml$\n    key_groups:\n      - age:\n          - ${recipient}\n          - ${hostRecipient}\n`,
      );
      execFileSync(SOPS, ['updatekeys', '-y', file], { env, cwd: dir });
      const opened = await openSops(readFileSync(file, 'utf8'), [host], 'secrets.yaml');
      expect(sopsPlainValues(opened)).toEqual({ wifi: 'hunter2', token: 'abc' });
    });
  },
);
