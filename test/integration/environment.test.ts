import { describe, expect, it } from 'vitest';
import { nixAvailable } from '../../main/core/nix';

// Tests that need real Nix skip themselves on a developer machine without it; on CI, where
// `.ci/run` installs nix-bin, a missing Nix must fail loudly instead of skipping silently.
describe.runIf(process.env.CI)('the CI machine has the real parts the tests rely on', () => {
  it('has Nix, so parse and evaluation tests run instead of skipping', () => {
    expect(nixAvailable()).toBe(true);
  });
});
