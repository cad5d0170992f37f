// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Nix source and hostile input contain ${ on purpose.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../common/answers';
import { type Facts, FactsSchema } from '../../common/facts';
import { renderHost, validateAnswers } from '../../main/core/generate';
import { nixAvailable, nixString } from '../../main/core/nix';
import { fitAnswers, PASSWORD_HASH } from '../helpers/golden-cases';

const HOSTILE = '"; users.users.root.password = "x"; evil = ${builtins.abort "x"}; \'\' \\ $${ z';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn';

function loadFacts(name: string): Facts {
  const path = join(import.meta.dirname, `../golden/facts/${name}.json`);
  return FactsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function answers(text: string, email: string): Answers {
  return {
    hostName: 'box',
    userName: 'alice',
    fullName: text,
    timeZone: 'UTC',
    locale: 'en_US.UTF-8',
    keyboardLayout: 'us',
    keyboardVariant: '',
    profile: 'full',
    desktop: 'plasma',
    services: ['openssh', 'docker', 'tailscale'],
    toolchains: ['rust'],
    editor: 'neovim',
    shell: 'zsh',
    sshAuthorizedKeys: [`${KEY} ${text}`],
    git: { name: text, email },
    channel: 'stable',
    allowUnfree: false,
    secrets: true,
    passwordHash: PASSWORD_HASH,
    sshPasswordLogin: false,
  };
}

/**
 * The parsed file with every string literal's content blanked and every function's argument
 * names sorted: what is left is its shape. Nix 2.8 prints a function's arguments in the order
 * its symbol table happens to hold them, which differs between two files of the same shape.
 */
function shape(source: string): string {
  const parsed = execFileSync('nix-instantiate', ['--parse', '-'], {
    input: source,
    encoding: 'utf8',
  });
  return parsed
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{ ([\w'-]+(?:, [\w'-]+)*)(, \.\.\.)? \}:/g, (_, names: string, rest = '') => {
      return `{ ${names.split(', ').sort().join(', ')}${rest} }:`;
    });
}

/**
 * Evaluates hardware-configuration.nix and reduces it to an unordered tree of value types:
 * attribute names that come from the machine (mount points, LUKS names) are data, so only
 * how many attributes there are, and what they hold, counts.
 */
function evaluatedShape(source: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'nixstrap-shape-'));
  const path = join(dir, 'hardware-configuration.nix');
  writeFileSync(path, source);
  const expression = `
    let
      shape = v:
        if builtins.isAttrs v then
          { set = builtins.sort builtins.lessThan (map (n: builtins.toJSON (shape v.\${n})) (builtins.attrNames v)); }
        else if builtins.isList v then { list = map shape v; }
        else builtins.typeOf v;
      module = import ${nixString(path)};
    in
    shape (module {
      config = { hardware.enableRedistributableFirmware = true; boot.kernelPackages.broadcom_sta = null; };
      lib = { mkDefault = x: x; };
      pkgs = { };
      modulesPath = "/modules";
    })`;
  try {
    const out = execFileSync(
      'nix-instantiate',
      ['--eval', '--strict', '--json', '-E', expression],
      {
        encoding: 'utf8',
      },
    );
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hostileFacts(facts: Facts, text: string): Facts {
  const rename = (name: string) => `${name}${text}`;
  return {
    ...facts,
    fileSystems: Object.fromEntries(
      Object.entries(facts.fileSystems).map(([mount, fs]) => [
        rename(mount),
        { device: rename(fs.device), fsType: rename(fs.fsType), options: fs.options.map(rename) },
      ]),
    ),
    luksDevices: Object.fromEntries(
      Object.entries(facts.luksDevices).map(([name, luks]) => [
        rename(name),
        { device: rename(luks.device) },
      ]),
    ),
    swapDevices: facts.swapDevices.map((swap) => ({ device: rename(swap.device) })),
    kernelModules: {
      initrdAvailable: facts.kernelModules.initrdAvailable.map(rename),
      initrd: facts.kernelModules.initrd.map(rename),
      kernel: facts.kernelModules.kernel.map(rename),
    },
    gpus: facts.gpus.map((gpu) => ({
      ...gpu,
      busId: gpu.busId === null ? null : rename(gpu.busId),
    })),
  };
}

describe.skipIf(!nixAvailable())('no answer or detected value can add an attribute', () => {
  it('uses hostile text that still passes validation', () => {
    expect(validateAnswers(answers(HOSTILE, "${x}'{y}@example.com"))).toMatchObject({ ok: true });
  });

  it('gives host and home files the same shape with hostile and benign answers', () => {
    for (const machine of ['thinkpad-luks', 'amd-nvidia-desktop', 'wsl2', 'macos-m2']) {
      const facts = loadFacts(machine);
      const benign = renderHost(facts, fitAnswers(facts, answers('Alice', 'alice@example.com')));
      const hostile = renderHost(
        facts,
        fitAnswers(facts, answers(HOSTILE, "${x}'{y}@example.com")),
      );
      expect(hostile.map((file) => file.path)).toEqual(benign.map((file) => file.path));
      hostile.forEach((file, i) => {
        expect(shape(file.content), `${machine}/${file.path}`).toBe(shape(benign[i]!.content));
      });
    }
  });

  it('gives hardware-configuration.nix the same shape with hostile detected values', () => {
    for (const machine of ['thinkpad-luks', 'qemu-vm']) {
      const facts = loadFacts(machine);
      const base = answers('Alice', 'alice@example.com');
      const file = (f: Facts) =>
        renderHost(f, base).find((g) => g.path.endsWith('hardware-configuration.nix'))!;
      const benign = file(hostileFacts(facts, '-x'));
      const hostile = file(hostileFacts(facts, HOSTILE));
      expect(evaluatedShape(hostile.content), machine).toEqual(evaluatedShape(benign.content));
    }
  });
});
