import { describe, expect, it } from 'vitest';
import { shellCommand, shellWord } from '../../common/shell-word';

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
});
