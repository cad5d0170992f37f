// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Nix source and hostile input contain ${ on purpose.
import { describe, expect, it } from 'vitest';
import {
  nix,
  nixApply,
  nixAttrName,
  nixAttrPath,
  nixBindings,
  nixExpr,
  nixIndentedString,
  nixPath,
  nixString,
  toNix,
} from '../../main/core/nix/literal';

describe('strings are escaped like escapeNixString', () => {
  it('escapes quotes, backslashes, interpolation and control whitespace', () => {
    expect(nixString('a"b')).toBe('"a\\"b"');
    expect(nixString('a\\b')).toBe('"a\\\\b"');
    expect(nixString('${x}')).toBe('"\\${x}"');
    expect(nixString('a\nb\tc\rd')).toBe('"a\\nb\\tc\\rd"');
    expect(nixString('$ alone and $$')).toBe('"$ alone and $$"');
  });

  it('refuses NUL, which Nix strings cannot hold', () => {
    expect(() => nixString('a\u0000b')).toThrow(/NUL/);
  });
});

describe('indented strings keep their text exactly', () => {
  it('indents content two spaces past the given indent', () => {
    expect(nixIndentedString('a\nb\n', 2)).toBe("''\n    a\n    b\n  ''");
    expect(nixIndentedString('a\nb', 0)).toBe("''\n  a\n  b''");
  });

  it('escapes the two sequences that end or interpolate an indented string', () => {
    expect(nixIndentedString("x''y")).toBe("''\n  x'''y''");
    expect(nixIndentedString('x${y}')).toBe("''\n  x''${y}''");
  });
});

describe('attribute names are quoted unless plain identifiers', () => {
  it('leaves plain identifiers bare', () => {
    expect(nixAttrName('hostName')).toBe('hostName');
    expect(nixAttrName("foo-bar_1'")).toBe("foo-bar_1'");
  });

  it('quotes keywords, dots, spaces and interpolation', () => {
    for (const keyword of [
      'if',
      'then',
      'else',
      'assert',
      'with',
      'let',
      'in',
      'rec',
      'inherit',
      'or',
    ]) {
      expect(nixAttrName(keyword)).toBe(`"${keyword}"`);
    }
    expect(nixAttrName('a.b')).toBe('"a.b"');
    expect(nixAttrName('a b')).toBe('"a b"');
    expect(nixAttrName('${x}')).toBe('"\\${x}"');
    expect(nixAttrName('1abc')).toBe('"1abc"');
    expect(nixAttrPath(['boot', 'initrd', 'luks', 'devices', 'luks-1'])).toBe(
      'boot.initrd.luks.devices.luks-1',
    );
    expect(nixAttrPath(['fileSystems', '/boot'])).toBe('fileSystems."/boot"');
  });
});

describe('values render like nixfmt output', () => {
  it('renders scalars', () => {
    expect(toNix(null)).toBe('null');
    expect(toNix(true)).toBe('true');
    expect(toNix(42)).toBe('42');
    expect(toNix(-3)).toBe('(-3)');
    expect(toNix(0.5)).toBe('0.5');
    expect(toNix(1e-7)).toBe('1.0e-7');
    expect(toNix(2n ** 62n)).toBe('4611686018427387904');
  });

  it('rejects numbers Nix cannot represent', () => {
    expect(() => toNix(Number.NaN)).toThrow();
    expect(() => toNix(Number.POSITIVE_INFINITY)).toThrow();
    expect(() => toNix(2n ** 64n)).toThrow();
    expect(() => toNix(2 ** 60)).toThrow();
  });

  it('puts two or more items one per line and writes empty containers compactly', () => {
    expect(toNix([])).toBe('[ ]');
    expect(toNix({})).toBe('{ }');
    expect(toNix({ a: ['x', 'y'], b: { c: 1 } }, { indent: 2 })).toBe(
      '{\n    a = [\n      "x"\n      "y"\n    ];\n    b = { c = 1; };\n  }',
    );
  });

  it('keeps a list or set of one item on one line while it fits in 100 columns', () => {
    expect(toNix(['nvme'])).toBe('[ "nvme" ]');
    expect(toNix([[['singleton']]])).toBe('[ [ [ "singleton" ] ] ]');
    expect(toNix([{ device: '/dev/sda2' }])).toBe('[ { device = "/dev/sda2"; } ]');
    expect(toNix([{ a: 1, b: 2 }])).toBe('[\n  {\n    a = 1;\n    b = 2;\n  }\n]');
    const long = 'x'.repeat(90);
    expect(toNix([long], { column: 0 })).toBe(`[ "${long}" ]`);
    expect(toNix([long], { column: 5 })).toBe(`[\n  "${long}"\n]`);
    expect(toNix([long], { column: 0, trailing: 5 })).toBe(`[\n  "${long}"\n]`);
  });

  it('refuses values that are not data', () => {
    expect(() => toNix(undefined as never)).toThrow();
    expect(() => toNix((() => 1) as never)).toThrow();
    expect(() => toNix(new Date() as never)).toThrow();
    expect(() => toNix({ a: undefined } as never)).toThrow();
  });
});

describe('expressions come only from the program', () => {
  it('builds expressions from literals and escapes what is interpolated', () => {
    expect(toNix(nixExpr('pkgs.zsh'))).toBe('pkgs.zsh');
    expect(toNix(nix`(modulesPath + ${'/profiles/qemu-guest.nix'})`)).toBe(
      '(modulesPath + "/profiles/qemu-guest.nix")',
    );
    expect(toNix(nix`f ${'${x}'}`)).toBe('f "\\${x}"');
    expect(toNix(nixApply(nixExpr('lib.mkDefault'), 'x86_64-linux'))).toBe(
      'lib.mkDefault "x86_64-linux"',
    );
    expect(toNix(nixApply(nixExpr('lib.mkDefault'), nixApply(nixExpr('f'), 1)))).toBe(
      'lib.mkDefault (f 1)',
    );
    expect(toNix([nixApply(nixExpr('f'), 1)])).toBe('[ (f 1) ]');
    expect(toNix([nixApply(nixExpr('f'), 1), nixExpr('g')])).toBe('[\n  (f 1)\n  g\n]');
  });

  it('refuses a template tag called with a forged strings array', () => {
    const forged = ['"; evil = true; x = "'] as unknown as TemplateStringsArray;
    expect(() => nix(forged)).toThrow();
  });

  it('accepts only plain relative paths', () => {
    expect(toNix(nixPath('./hardware-configuration.nix'))).toBe('./hardware-configuration.nix');
    expect(toNix(nixPath('../../../home/alice'))).toBe('../../../home/alice');
    for (const bad of ['/etc/passwd', './a b', './${x}', 'foo', './a"b', './']) {
      expect(() => nixPath(bad)).toThrow();
    }
  });

  it('keeps comments on one line', () => {
    expect(() => nixBindings([{ comment: 'a\nb = 1;' }])).toThrow();
    expect(() => nixBindings([{ comment: 'a\rb' }])).toThrow();
    const body = nixBindings([
      { path: ['a', 'b'], value: 1 },
      { comment: 'note' },
      { blank: true },
      { path: ['c'], value: [] },
    ]);
    expect(toNix(body, { indent: 2 })).toBe('a.b = 1;\n  # note\n\n  c = [ ];');
  });
});
