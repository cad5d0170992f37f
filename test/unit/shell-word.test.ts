import { describe, expect, it } from 'vitest';
import { shellCommand, shellTypedPath, shellWord } from '../../common/shell-word';

describe('a command line shown to be typed again', () => {
  it('leaves plain words bare and quotes the rest so the shell reads them back unchanged', () => {
    expect(shellWord('/nix/var/nix/profiles/system')).toBe('/nix/var/nix/profiles/system');
    expect(shellWord('/tmp/repo#nixosConfigurations.atlas')).toBe(
      '/tmp/repo#nixosConfigurations.atlas',
    );
    expect(shellWord('#not-a-comment')).toBe("'#not-a-comment'");
    expect(shellWord('')).toBe("''");
    expect(shellWord("it's $HOME")).toBe("'it'\\''s $HOME'");
  });

  it('quotes each word of a command on its own', () => {
    expect(shellCommand(['nix', 'build', '/tmp/my config#nixosConfigurations.atlas'])).toBe(
      "nix build '/tmp/my config#nixosConfigurations.atlas'",
    );
  });

  it('writes a folder typed into the app as the folder the app reads, pasted in any shell folder', () => {
    // The app reads a relative path from home, so a command run elsewhere must say so.
    expect(shellTypedPath('nixos-config')).toBe('~/nixos-config');
    expect(shellTypedPath('~/nixos-config')).toBe('~/nixos-config');
    expect(shellTypedPath('~')).toBe('~');
    expect(shellTypedPath('~/')).toBe('~');
    // The tilde stays bare so the shell expands it; the rest is quoted only where needed.
    expect(shellTypedPath("~/my config's")).toBe("~/'my config'\\''s'");
    expect(shellTypedPath('/srv/nix config')).toBe("'/srv/nix config'");
    // `~user` is not expanded by the app, so it must not be by the shell either.
    expect(shellTypedPath('~bob/cfg')).toBe("~/'~bob/cfg'");
  });
});
