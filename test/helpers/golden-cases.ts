import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../../common/answers';
import { type Facts, FactsSchema } from '../../common/facts';
import { detectFacts, openFixture } from '../../main/core/detect';
import { answerChoices, defaultAnswers } from '../../main/core/generate';

export const GOLDEN_DIR = join(import.meta.dirname, '../golden');

/** A real key pair made with ssh-keygen for these tests; the private half was thrown away. */
export const ED25519_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop';

/** `mkpasswd -m sha-512 -S nixstrapgolden01` of "correct horse battery staple". */
export const PASSWORD_HASH =
  '$6$nixstrapgolden01$xgNe7W/DZZ9H2y2SgckGbcOJ/CBdQZtV2BnGAycGJBPrW/POaXjAAVrvCvH.int3N7duAVYmNyLL05Emi8CxW/';

/** What the owner of each machine answers in the wizard, on top of the prefilled answers. */
const ANSWERS: Readonly<Record<string, Partial<Answers>>> = {
  'qemu-vm': { services: ['openssh'], sshAuthorizedKeys: [ED25519_KEY] },
  'hetzner-bios': {
    hostName: 'web-1',
    userName: 'deploy',
    profile: 'minimal',
    services: ['openssh', 'tailscale', 'podman'],
    sshAuthorizedKeys: [ED25519_KEY],
  },
  'thinkpad-luks': {
    fullName: 'Alice Example',
    timeZone: 'Europe/Berlin',
    locale: 'de_DE.UTF-8',
    keyboardLayout: 'de',
    keyboardVariant: 'nodeadkeys',
    profile: 'development',
    desktop: 'plasma',
    services: ['printing', 'bluetooth', 'docker'],
    toolchains: ['rust', 'nix'],
    editor: 'helix',
    shell: 'zsh',
    git: { name: 'Alice Example', email: 'alice@example.com' },
  },
  'amd-nvidia-desktop': {
    fullName: 'Alice Example',
    timeZone: 'America/New_York',
    profile: 'full',
    desktop: 'gnome',
    services: ['openssh', 'flatpak', 'remote-desktop'],
    editor: 'vscode',
    shell: 'fish',
    sshAuthorizedKeys: [ED25519_KEY],
    git: { name: 'Alice Example', email: 'alice@example.com' },
  },
  'raspberry-pi-4': { userName: 'pi', services: ['openssh'], sshAuthorizedKeys: [ED25519_KEY] },
  'asahi-m1': { desktop: 'gnome', services: ['bluetooth'], channel: 'unstable', editor: 'neovim' },
  wsl2: {
    hostName: 'wsl',
    profile: 'development',
    toolchains: ['python', 'node'],
    git: { name: 'Alice', email: '' },
  },
  'macos-m2': {
    hostName: 'alices-macbook-air',
    fullName: 'Alice Example',
    profile: 'development',
    services: ['tailscale'],
    toolchains: ['go'],
    shell: 'zsh',
    git: { name: 'Alice Example', email: 'alice@example.com' },
  },
};

/** Answers written for a Linux machine, with what another kind of machine has no use for left out. */
export function fitAnswers(facts: Facts, answers: Answers): Answers {
  const choices = answerChoices(facts);
  return {
    ...answers,
    desktop: choices.desktops.includes(answers.desktop) ? answers.desktop : 'none',
    services: answers.services.filter((service) => choices.services.includes(service)),
    keyboardLayout: choices.keyboard ? answers.keyboardLayout : '',
    keyboardVariant: choices.keyboard ? answers.keyboardVariant : '',
    locale: choices.locale ? answers.locale : '',
    passwordHash: choices.password === 'unsupported' ? null : answers.passwordHash,
  };
}

/** The prefilled answers with the password every owner of a NixOS machine sets. */
function ownerDefaults(facts: Facts): Answers {
  const answers = defaultAnswers(facts);
  return answerChoices(facts).password === 'unsupported'
    ? answers
    : { ...answers, passwordHash: PASSWORD_HASH };
}

export interface GoldenCase {
  name: string;
  facts: Facts;
  answers: Answers;
}

export function goldenCases(): GoldenCase[] {
  const dir = join(GOLDEN_DIR, 'facts');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, '');
      const facts = FactsSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      return { name, facts, answers: { ...ownerDefaults(facts), ...ANSWERS[name] } };
    });
}

export const FIXTURES_DIR = join(import.meta.dirname, '../fixtures/machines');

/** Fixtures whose machine Nixstrap refuses to configure (they are tested for the refusal). */
export const REFUSED_FIXTURES: readonly string[] = ['wsl1'];

/** Which owner's answers each captured machine gets; the rest keep the prefilled answers. */
const FIXTURE_OWNERS: Readonly<Record<string, string>> = {
  'qemu-kvm-uefi': 'qemu-vm',
  'hetzner-cx22': 'hetzner-bios',
  'thinkpad-t480-luks': 'thinkpad-luks',
  'amd-desktop-nvidia': 'amd-nvidia-desktop',
  'raspberry-pi-4': 'raspberry-pi-4',
  'asahi-m1-air': 'asahi-m1',
  wsl2: 'wsl2',
  'macos-m2': 'macos-m2',
};

/** Every captured machine of the detection fixtures, detected for real, with its owner's answers. */
export function fixtureCases(): GoldenCase[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => existsSync(join(FIXTURES_DIR, name, 'expected.json')))
    .filter((name) => !REFUSED_FIXTURES.includes(name))
    .sort()
    .map((name) => {
      const facts = detectFacts(openFixture(join(FIXTURES_DIR, name)));
      const owner = FIXTURE_OWNERS[name];
      const overrides = owner
        ? ANSWERS[owner]
        : { services: ['openssh' as const], sshAuthorizedKeys: [ED25519_KEY] };
      return { name, facts, answers: { ...ownerDefaults(facts), ...overrides } };
    });
}
