// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Nix source and hostile input contain ${ on purpose.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  nixAttrName,
  nixAvailable,
  nixIndentedString,
  nixString,
  parseCheck,
  toNix,
} from '../../main/core/nix';

const HOSTILE = [
  '',
  'plain',
  'say "hi"',
  'back\\slash\\',
  '${builtins.abort "x"}',
  '\\${builtins.abort "x"}',
  "''",
  "'''${x}",
  "''${x}",
  "'",
  "a'",
  "'$",
  "'${",
  "it's a ''quoted'' thing'",
  'line one\nline two',
  'trailing newline\n',
  '\n\nleading newlines',
  'tab\there',
  '\tleading tab',
  'carriage\r\nreturn',
  'unicode ü ß 日本 😀 مرحبا بالعالم \u202e',
  '$',
  '$$',
  '$${x}',
  '$${',
  'a$',
  '  two leading spaces\n  on every line',
  '   \n  x\n ',
  'ends with spaces   ',
  'only\n   ',
  '"; evil = true; x = "',
  "''; evil = true; x = ''",
];

function evalJson(expression: string): unknown {
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expression], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe.skipIf(!nixAvailable())('strings written for Nix evaluate back to themselves', () => {
  it('round-trips hostile strings through double-quoted literals', () => {
    expect(evalJson(toNix(HOSTILE))).toEqual(HOSTILE);
  });

  it('round-trips hostile strings through indented strings', () => {
    const expression = `[\n${HOSTILE.map((s) => `  (${nixIndentedString(s, 2)})`).join('\n')}\n]`;
    expect(evalJson(expression)).toEqual(HOSTILE);
  });

  it('round-trips each string alone, where no neighbour can hide a mistake', () => {
    for (const s of HOSTILE) {
      expect(evalJson(nixString(s))).toBe(s);
      expect(evalJson(nixIndentedString(s))).toBe(s);
    }
  });
});

describe.skipIf(!nixAvailable())('attribute names cannot add attributes', () => {
  const NAMES = [
    'if',
    'or',
    'inherit',
    'rec',
    'let',
    'a.b',
    'with "quotes"',
    'has space',
    '${builtins.abort "x"}',
    'x = 1; y',
    '"; y = "',
    "it's",
    'ü',
    '',
  ];

  it('round-trips every name as the only key of its set', () => {
    for (const name of NAMES) {
      expect(evalJson(`builtins.attrNames { ${nixAttrName(name)} = 1; }`)).toEqual([name]);
    }
  });

  it('round-trips names as keys of one set rendered by toNix', () => {
    const value = Object.fromEntries(NAMES.map((name, i) => [name, i]));
    expect(evalJson(toNix(value))).toEqual(value);
  });
});

describe.skipIf(!nixAvailable())('the parse check reports where a file is broken', () => {
  it('passes valid files and locates the error in a broken one', async () => {
    const errors = await parseCheck([
      { path: 'good.nix', content: '{ a = 1; }\n' },
      { path: 'bad.nix', content: '{\n  a = 1\n}\n' },
      { path: 'also-good.nix', content: toNix({ x: HOSTILE }) },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'bad.nix', line: 3, column: 1 });
    expect(errors[0]?.message).toMatch(/syntax error/);
  });
});
