import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFacts, openFixture } from '../../main/core/detect';
import { renderRepo, validateAnswers } from '../../main/core/generate';
import { nixAvailable, parseCheck } from '../../main/core/nix';
import { FIXTURES_DIR, fixtureCases, GOLDEN_DIR, REFUSED_FIXTURES } from '../helpers/golden-cases';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

const all = fixtureCases();

describe('each captured machine gets the repo a NixOS expert would write', () => {
  it('covers every fixture of the detection tests', () => {
    expect(all.length + REFUSED_FIXTURES.length).toBe(
      readdirSync(FIXTURES_DIR).filter((name) =>
        existsSync(join(FIXTURES_DIR, name, 'expected.json')),
      ).length,
    );
  });

  for (const golden of all) {
    describe(golden.name, () => {
      const files = renderRepo(golden.facts, golden.answers);
      const snapshotDir = join(GOLDEN_DIR, golden.name);

      it('uses answers that pass validation', () => {
        expect(validateAnswers(golden.answers)).toMatchObject({ ok: true });
      });

      it.skipIf(!nixAvailable())('writes only files that parse with nix-instantiate', async () => {
        const nixFiles = files.filter((file) => file.path.endsWith('.nix'));
        expect(nixFiles.length).toBeGreaterThanOrEqual(5);
        expect(await parseCheck(nixFiles)).toEqual([]);
      });

      it('matches the reviewed snapshot', () => {
        if (UPDATE) {
          rmSync(snapshotDir, { recursive: true, force: true });
          for (const file of files) {
            const path = join(snapshotDir, file.path);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, file.content);
          }
        }
        expect(listFiles(snapshotDir).sort()).toEqual(files.map((file) => file.path).sort());
        for (const file of files) {
          expect(file.content, file.path).toBe(readFileSync(join(snapshotDir, file.path), 'utf8'));
        }
      });
    });
  }
});

describe('generated files never use removed or renamed options', () => {
  const REMOVED = [
    /hardware\.opengl/,
    /sound\.enable/,
    /boot\.loader\.raspberryPi/,
    /plasma5/,
    /services\.xserver\.(layout|xkbVariant)\b/,
    /services\.xserver\.(desktopManager\.gnome|displayManager\.(gdm|sddm))/,
    /hardware\.video\.hidpi/,
    /boot\.loader\.grub\.version/,
    /hardware\.asahi\.(addEdgeKernelConfig|experimentalGPUInstallMode|useExperimentalGPUDriver|withRust)/,
    /hardware\.pulseaudio/,
    /programs\.git\.(userName|userEmail)/,
    /nixfmt-rfc-style/,
  ];
  it('holds for every machine', () => {
    for (const golden of all) {
      for (const file of renderRepo(golden.facts, golden.answers)) {
        for (const pattern of REMOVED)
          expect(file.content, `${golden.name}/${file.path}`).not.toMatch(pattern);
      }
    }
  });
});

describe('a machine Nixstrap cannot configure', () => {
  it.each(REFUSED_FIXTURES)('%s is refused with the reason, and nothing is rendered', (name) => {
    const facts = detectFacts(openFixture(join(FIXTURES_DIR, name)));
    const answers = fixtureCases()[0]!.answers;
    expect(() => renderRepo(facts, { ...answers, userName: facts.userName || 'alice' })).toThrow(
      expect.objectContaining({ error: expect.objectContaining({ code: 'UNSUPPORTED_PLATFORM' }) }),
    );
  });
});

describe('modules never fight the platform modules they sit beside', () => {
  it('a WSL host leaves sudo and the firewall to NixOS-WSL and its own wsl module', () => {
    const wsl = all.find((golden) => golden.name === 'wsl2')!;
    const text = renderRepo(wsl.facts, wsl.answers)
      .map((file) => file.content)
      .join('\n');
    // NixOS-WSL sets wheelNeedsPassword = mkDefault false; another mkDefault would conflict.
    expect(text).not.toMatch(/wheelNeedsPassword/);
    expect(text.match(/firewall\.enable|firewall = \{\s*enable/g) ?? []).toHaveLength(1);
  });
});

describe('generated Nix is laid out as nixfmt lays it out', () => {
  /** A list or set bound by `=` whose single item nixfmt would keep on the line of its brackets. */
  function splitSingletons(content: string): string[] {
    const lines = content.split('\n');
    const found: string[] = [];
    lines.forEach((line, i) => {
      const item = lines[i + 1];
      const close = lines[i + 2];
      if (!/= [[{]$/.test(line) || item === undefined || close === undefined) return;
      if (!/^\s*[\]}];?$/.test(close) || /^\s*#/.test(item) || /[[{]$/.test(item)) return;
      if (line.endsWith('{') && !item.trim().endsWith(';')) return;
      const joined = `${line} ${item.trim()} ${close.trim()}`;
      if (joined.length <= 100) found.push(joined.trim());
    });
    return found;
  }

  it('keeps a single item on the line of its brackets when it fits', () => {
    for (const golden of all) {
      for (const file of renderRepo(golden.facts, golden.answers)) {
        if (file.path.endsWith('.nix')) {
          expect(splitSingletons(file.content), `${golden.name}/${file.path}`).toEqual([]);
        }
      }
    }
  });

  it('writes the allow-list of one unfree package on one line', () => {
    const thinkpad = all.find((golden) => golden.name === 'thinkpad-t480-luks')!;
    const files = renderRepo(thinkpad.facts, { ...thinkpad.answers, editor: 'vscode' });
    const host = files.find((file) => file.path.endsWith('t480/default.nix'))!.content;
    expect(host).toContain(
      '  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [ "vscode" ];\n',
    );
  });
});
