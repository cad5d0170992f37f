import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { identityToRecipient } from 'age-encryption';
import { sshKeyToAge } from 'sops-age';
import { describe, expect, it } from 'vitest';
import { createRecordingProbe, detectFacts, openFixture } from '../../../main/core/detect';
import { sshPrivateKeyToAge, sshPublicKeyToAge } from '../../../main/core/secrets';
import { bech32Decode, bech32Encode } from '../../../main/core/secrets/bech32';
import { hetznerCx22 } from '../detect/machines/vms';

const SAMPLES = path.join(import.meta.dirname, '../../fixtures/secrets/sops-nix');
const PRIVATE = readFileSync(path.join(SAMPLES, 'ssh-ed25519-key'), 'utf8');
const PUBLIC = readFileSync(path.join(SAMPLES, 'ssh-ed25519-key.pub'), 'utf8');
/** The recipient sops-nix's sample file was encrypted for, from this SSH key (by ssh-to-age). */
const SOPS_NIX_RECIPIENT = 'age1a8pk4akrdamj7nvqy3zywgtny8dxz7t5xzu7u8v9mhrayp9freqsqatyrs';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { error?: { code: string } }).error?.code;
  }
  return undefined;
}

describe('an SSH ed25519 key as an age key, the way ssh-to-age converts it', () => {
  it('turns the public key into the recipient ssh-to-age gave sops-nix', () => {
    expect(sshPublicKeyToAge(PUBLIC)).toBe(SOPS_NIX_RECIPIENT);
  });

  it('turns the private key into an identity whose recipient is that same key', async () => {
    const { identity, recipient } = sshPrivateKeyToAge(PRIVATE);
    expect(recipient).toBe(SOPS_NIX_RECIPIENT);
    expect(await identityToRecipient(identity)).toBe(SOPS_NIX_RECIPIENT);
  });

  it('writes the identity exactly as an independent converter does (sops-age)', () => {
    expect(sshPrivateKeyToAge(PRIVATE).identity).toBe(sshKeyToAge(PRIVATE));
  });

  it('refuses keys it cannot convert, in one sentence', () => {
    expect(codeOf(() => sshPublicKeyToAge('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7'))).toBe(
      'SECRETS_KEY_INVALID',
    );
    expect(codeOf(() => sshPublicKeyToAge('not a key'))).toBe('SECRETS_KEY_INVALID');
    // A well-formed blob whose 32 bytes are no point on the curve.
    const blob = Buffer.concat([
      Buffer.from([0, 0, 0, 11]),
      Buffer.from('ssh-ed25519'),
      Buffer.from([0, 0, 0, 32]),
      Buffer.alloc(32, 0xff),
    ]);
    expect(codeOf(() => sshPublicKeyToAge(`ssh-ed25519 ${blob.toString('base64')}`))).toBe(
      'SECRETS_KEY_INVALID',
    );
    expect(codeOf(() => sshPrivateKeyToAge(PUBLIC))).toBe('SECRETS_KEY_INVALID');
    const damaged = PRIVATE.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect(codeOf(() => sshPrivateKeyToAge(damaged))).toBe('SECRETS_KEY_INVALID');
  });
});

describe('Bech32 as age spells its keys', () => {
  it('round-trips and rejects a changed character', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const text = bech32Encode('age', bytes);
    expect(bech32Decode(text)).toEqual({ prefix: 'age', bytes });
    const changed = `${text.slice(0, 10)}${text[10] === 'q' ? 'p' : 'q'}${text.slice(11)}`;
    expect(bech32Decode(changed)).toBeNull();
    expect(bech32Decode(SOPS_NIX_RECIPIENT)?.bytes.length).toBe(32);
  });
});

describe('detection reads the SSH host key, the public half only', () => {
  const FIXTURES = path.join(import.meta.dirname, '../../fixtures/machines');

  it('puts the key into the facts of a machine that has one', () => {
    const facts = detectFacts(openFixture(path.join(FIXTURES, 'hetzner-cx22')));
    expect(facts.sshHostKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+$/);
    expect(sshPublicKeyToAge(facts.sshHostKey!)).toMatch(/^age1[0-9a-z]{58}$/);
  });

  it('leaves it null on a machine without one', () => {
    expect(detectFacts(openFixture(path.join(FIXTURES, 'qemu-kvm-uefi'))).sshHostKey).toBeNull();
  });

  it('captures the public key and never the private one lying next to it', () => {
    const machine = hetznerCx22();
    machine.file('/etc/ssh/ssh_host_ed25519_key', PRIVATE);
    const source = path.join(mkdtempSync(path.join(tmpdir(), 'nixstrap-hostkey-')), 'machine');
    machine.write(source);
    const recorder = createRecordingProbe(openFixture(source));
    const facts = detectFacts(recorder);
    const captured = path.join(path.dirname(source), 'capture');
    const written = recorder.writeFixture(captured);
    expect(written).toContain(path.join(captured, 'root/etc/ssh/ssh_host_ed25519_key.pub'));
    expect(existsSync(path.join(captured, 'root/etc/ssh/ssh_host_ed25519_key'))).toBe(false);
    expect(detectFacts(openFixture(captured)).sshHostKey).toBe(facts.sshHostKey);
  });

  it('warns about a host key file that is not an ed25519 public key, and uses none', () => {
    const machine = hetznerCx22();
    machine.file('/etc/ssh/ssh_host_ed25519_key.pub', 'ssh-ed25519 AAAA-garbled\n');
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'nixstrap-hostkey-')), 'machine');
    machine.write(dir);
    const facts = detectFacts(openFixture(dir));
    expect(facts.sshHostKey).toBeNull();
    expect(facts.warnings.join(' ')).toMatch(/is not an ed25519 public key/);
  });
});
