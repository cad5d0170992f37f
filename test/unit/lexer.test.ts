// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Nix source, where ${ is Nix's own interpolation.
import { describe, expect, it } from 'vitest';
import {
  isPlainIdentifier,
  NixSyntaxError,
  stringValue,
  tokenize,
} from '../../main/core/nix/lexer';
import { attrSets, readSyntax } from '../../main/core/nix/syntax';

const significant = (src: string) =>
  tokenize(src)
    .filter((t) => t.kind !== 'space')
    .map((t) => [t.kind, t.text]);

describe('tokenizing Nix', () => {
  it('keeps every byte: the tokens rebuild the source exactly', () => {
    const src = '{ a = "x ${y} \\" }"; # c }\n  b = /* } */ ./p/q.nix; }\n';
    expect(
      tokenize(src)
        .map((t) => t.text)
        .join(''),
    ).toBe(src);
  });

  it('reads strings with escapes and nested interpolation as one token', () => {
    expect(significant('"a ${ "}" + "${x}" } \\${ $${ b"')).toEqual([
      ['string', '"a ${ "}" + "${x}" } \\${ $${ b"'],
    ]);
  });

  it("reads indented strings with ''$, ''' and ''\\ escapes", () => {
    const src = "'' } ''${x} ''' ''\\n ${ { a = 1; }.a } ''";
    expect(significant(src)).toEqual([['indented-string', src]]);
  });

  it('tells paths, URIs, identifiers, division and comments apart', () => {
    expect(
      significant(
        './a/b.nix a/b a / b ~/x <nixpkgs/lib> github:NixOS/nixpkgs x-y ./a/${b}.nix # ./c',
      ),
    ).toEqual([
      ['path', './a/b.nix'],
      ['path', 'a/b'],
      ['identifier', 'a'],
      ['symbol', '/'],
      ['identifier', 'b'],
      ['path', '~/x'],
      ['lookup-path', '<nixpkgs/lib>'],
      ['uri', 'github:NixOS/nixpkgs'],
      ['identifier', 'x-y'],
      ['path', './a/${b}.nix'],
      ['comment', '# ./c'],
    ]);
  });

  it('reports where an unterminated string starts', () => {
    expect(() => tokenize('{\n  a = "open;\n}')).toThrow(NixSyntaxError);
    try {
      tokenize('{\n  a = "open;\n}');
    } catch (e) {
      expect(e).toMatchObject({ line: 2, column: 7 });
    }
  });

  it('decodes plain strings and knows which names need quotes', () => {
    expect(stringValue(tokenize('"a\\"b\\n"')[0])).toBe('a"b\n');
    expect(stringValue(tokenize('"${x}"')[0])).toBeNull();
    expect(isPlainIdentifier('my-host')).toBe(true);
    expect(isPlainIdentifier('1host')).toBe(false);
    expect(isPlainIdentifier('inherit')).toBe(false);
  });
});

describe('reading the structure of Nix', () => {
  it('finds bindings at the right depth past let…in, with, comments and strings', () => {
    const src = `{
      a = let x = 1; y = 2; in x;
      b = with x; [ "}" ];
      "c d".e = { f = ''
        } ;
      ''; };
      inherit (z) g h;
    }`;
    const [outer] = attrSets(readSyntax(src));
    expect(outer!.bindings.map((b) => [b.kind, b.path.join('.')])).toEqual([
      ['assign', 'a'],
      ['assign', 'b'],
      ['assign', 'c d.e'],
      ['inherit', ''],
    ]);
  });

  it('does not take a function argument pattern for an attribute set', () => {
    const sets = attrSets(readSyntax('{ a, b ? { }, ... }@args: { c = 1; }'));
    expect(sets.map((s) => s.bindings.length)).toEqual([0, 1]);
  });

  it('rejects unbalanced brackets with a position', () => {
    expect(() => readSyntax('{ a = [ 1 ); }')).toThrow(/unexpected \)/);
  });
});
