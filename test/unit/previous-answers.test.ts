import { describe, expect, it } from 'vitest';
import { type Answers, AnswersSchema } from '../../common/answers';
import { answersChanges, previousAnswers } from '../../main/core/ledger/previous-answers';
import { PASSWORD_HASH } from '../helpers/golden-cases';

const current: Answers = AnswersSchema.parse({
  hostName: 'desk',
  userName: 'alice',
  fullName: 'Alice Example',
  timeZone: 'Europe/Berlin',
  locale: 'en_US.UTF-8',
  keyboardLayout: 'us',
  profile: 'essential',
  desktop: 'none',
  services: ['openssh'],
  sshAuthorizedKeys: [],
  git: { name: 'Alice Example', email: 'alice@example.org' },
  channel: 'stable',
  passwordHash: PASSWORD_HASH,
});

/** Another value for each answer a host was written with. */
const OTHER: { [K in keyof Answers]?: Answers[K] } = {
  userName: 'bob',
  fullName: 'Alice E.',
  timeZone: 'UTC',
  locale: 'de_DE.UTF-8',
  keyboardLayout: 'de',
  keyboardVariant: 'nodeadkeys',
  profile: 'full',
  desktop: 'plasma',
  services: ['openssh', 'tailscale'],
  toolchains: ['rust', 'go'],
  editor: 'helix',
  shell: 'zsh',
  sshAuthorizedKeys: ['ssh-ed25519 AAAA a', 'ssh-ed25519 BBBB b'],
  git: { name: 'Alice', email: '' },
  channel: 'unstable',
  sshPasswordLogin: true,
  allowUnfree: true,
  secrets: false,
};

describe('what recorded answers hold that the current ones do not', () => {
  const fields = Object.keys(AnswersSchema.shape).filter(
    (key) => key !== 'hostName' && key !== 'passwordHash',
  ) as (keyof Answers)[];

  it.each(fields)('a different %s is named', (field) => {
    expect(OTHER, `no other value for ${field} in this test`).toHaveProperty(field);
    const previous = { ...current, [field]: OTHER[field] };
    expect(answersChanges(previous, current)).toHaveLength(1);
  });

  it('reads as the form does', () => {
    const previous = { ...current, ...OTHER };
    expect(answersChanges(previous, current)).toEqual([
      'the user bob (Alice E.)',
      '2 SSH keys',
      'the KDE Plasma desktop',
      'the full package profile',
      'the services SSH server and Tailscale',
      'the rust and go toolchains',
      'the editor helix',
      'the zsh shell',
      'the unstable release',
      'the time zone UTC',
      'the locale de_DE.UTF-8',
      'the keyboard layout de (nodeadkeys)',
      'the git identity Alice',
      'password login over SSH',
      'unfree packages allowed',
      'no sops-nix secrets',
    ]);
    expect(answersChanges(current, previous)).toContain('no SSH keys');
    expect(answersChanges(current, previous)).toContain('no desktop');
  });

  it('the password hash, and the order of a list, are no difference', () => {
    expect(answersChanges({ ...current, passwordHash: null }, current)).toEqual([]);
    const two = { ...current, services: ['openssh', 'docker'] as Answers['services'] };
    expect(answersChanges({ ...two, services: ['docker', 'openssh'] }, two)).toEqual([]);
  });
});

describe('which recorded answers are offered', () => {
  const row = (answers: unknown, at: string) => ({
    json: typeof answers === 'string' ? answers : JSON.stringify(answers),
    at,
    source: 'write' as const,
    commit: `commit of ${at}`,
  });
  const older = { ...current, desktop: 'gnome' as const, passwordHash: null };

  it('the newest that parses, without a password hash', () => {
    const offered = previousAnswers(
      [
        row('{"hostName":', '2026-11-26T10:00:00Z'),
        row({ ...current, profile: 'workstation' }, '2026-11-25T10:00:00Z'),
        row({ ...older, passwordHash: PASSWORD_HASH }, '2026-11-24T10:00:00Z'),
      ],
      current,
    );
    expect(offered).toEqual({
      answers: older,
      recordedAt: '2026-11-24T10:00:00Z',
      source: 'write',
      commit: 'commit of 2026-11-24T10:00:00Z',
      changes: ['the GNOME desktop'],
    });
  });

  it('nothing when the newest equal the current ones, or none are recorded for this host', () => {
    expect(previousAnswers([row(current, 'b'), row(older, 'a')], current)).toBeNull();
    expect(previousAnswers([row({ ...older, hostName: 'laptop' }, 'a')], current)).toBeNull();
    expect(previousAnswers([], current)).toBeNull();
  });
});
