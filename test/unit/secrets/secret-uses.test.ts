import { describe, expect, it } from 'vitest';
import { usesSecret } from '../../../main/core/secrets/secret-uses';

describe('which Nix uses a secret, told after it is removed', () => {
  it('sees it written out, declared or read', () => {
    expect(usesSecret('{ sops.secrets.wifi = { }; }', 'wifi')).toBe(true);
    expect(usesSecret('{ sops.secrets."wifi".owner = "me"; }', 'wifi')).toBe(true);
    expect(usesSecret('{ config, ... }: { x = config.sops.secrets.wifi.path; }', 'wifi')).toBe(
      true,
    );
  });

  it('sees it declared inside nested sets, as most configurations write several', () => {
    const module = `{ config, ... }: {
      sops.defaultSopsFile = ./secrets.yaml;
      sops.secrets = {
        mqtt = { owner = "mosquitto"; };
        "wifi" = { };
      };
    }`;
    expect(usesSecret(module, 'wifi')).toBe(true);
    expect(usesSecret(module, 'mqtt')).toBe(true);
    expect(usesSecret('{ sops = { age.keyFile = "/k"; secrets.wifi = { }; }; }', 'wifi')).toBe(
      true,
    );
    expect(usesSecret('{ sops = { secrets = { wifi.owner = "me"; }; }; }', 'wifi')).toBe(true);
  });

  it('does not take another name, another option or a comment for it', () => {
    const module = `{ ... }: {
      # sops.secrets = { wifi = {}; };
      sops.secrets = { wifi-guest = { }; wifi2 = { }; };
      networking.secrets.wifi = { };
      environment.etc.wifi.text = "sops.secrets";
    }`;
    expect(usesSecret(module, 'wifi')).toBe(false);
    expect(usesSecret(module, 'wifi-guest')).toBe(true);
  });

  it('reads a file that does not parse as using nothing, beyond what is written out', () => {
    expect(usesSecret('{ sops.secrets = { wifi = { }; ', 'wifi')).toBe(false);
    expect(usesSecret('{ sops.secrets.wifi = { }; ', 'wifi')).toBe(true);
  });
});
