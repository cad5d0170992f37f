import { describe, expect, it } from 'vitest';
import { passwordPrompt, promptedUser } from '../../common/password-prompt';

describe('a password prompt on the cursor line', () => {
  it("is sudo's, a bare one, or a distribution's own wording", () => {
    expect(passwordPrompt('[sudo] password for alice: ')).toBe('[sudo] password for alice:');
    expect(passwordPrompt('Password:')).toBe('Password:');
    expect(passwordPrompt('Enter passphrase for key /root/.ssh/id_ed25519: ')).toBe(
      'Enter passphrase for key /root/.ssh/id_ed25519:',
    );
    expect(promptedUser('[sudo] password for alice:')).toBe('alice');
    expect(promptedUser('Password:')).toBeNull();
  });

  it('is not a line that mentions a password, nor one already answered', () => {
    expect(passwordPrompt('building password-store-1.7.4')).toBeNull();
    expect(passwordPrompt('users.users.alice.hashedPassword: set')).toBeNull();
    expect(passwordPrompt('[sudo] password for alice: Sorry, try again.')).toBeNull();
    expect(passwordPrompt('')).toBeNull();
  });
});
