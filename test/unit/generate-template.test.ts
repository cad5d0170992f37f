// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Nix source and hostile input contain ${ on purpose.
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../main/core/generate/template';
import { nixBindings, nixExpr } from '../../main/core/nix/literal';

describe('templates insert values only through the literal writer', () => {
  it('writes strings as escaped literals, never as code', () => {
    const hostile = '"; users.users.root.password = "x"; z = "${builtins.abort "x"}';
    expect(renderTemplate('{\n  a = @{value};\n}\n', { value: hostile })).toBe(
      `{\n  a = "\\"; users.users.root.password = \\"x\\"; z = \\"\\\${builtins.abort \\"x\\"}";\n}\n`,
    );
  });

  it('quotes attribute names that are not plain identifiers', () => {
    expect(renderTemplate('{ users.@attr{name}.x = 1; }', { name: 'alice' })).toBe(
      '{ users.alice.x = 1; }\n',
    );
    expect(renderTemplate('{ users.@attr{name}.x = 1; }', { name: 'a.b = 1; c' })).toBe(
      '{ users."a.b = 1; c".x = 1; }\n',
    );
    expect(() => renderTemplate('{ @attr{name} = 1; }', { name: ['x'] })).toThrow();
  });

  it('has no placeholder form that pastes raw text', () => {
    for (const form of ['@{name:expr}', '@{raw name}', '@{ name }', '@{}', '@{name|raw}']) {
      expect(() => renderTemplate(`x = ${form};`, { name: 'v' }), form).toThrow();
    }
  });

  it('does not re-read what it inserted', () => {
    expect(renderTemplate('a = @{x}; b = @{y};', { x: '@{y}', y: '#if z' })).toBe(
      'a = "@{y}"; b = "#if z";\n',
    );
  });

  it('indents multi-line values to their line', () => {
    expect(renderTemplate('{\n  list = @{items};\n}', { items: ['a', 'b'] })).toBe(
      '{\n  list = [\n    "a"\n    "b"\n  ];\n}\n',
    );
  });

  it('keeps or drops #if blocks on booleans only', () => {
    const source = '{\n#if on\n  a = 1;\n#else\n  b = 2;\n#endif\n#if !on\n  c = 3;\n#endif\n}';
    expect(renderTemplate(source, { on: true })).toBe('{\n  a = 1;\n}\n');
    expect(renderTemplate(source, { on: false })).toBe('{\n  b = 2;\n  c = 3;\n}\n');
    expect(() => renderTemplate(source, { on: 'yes' })).toThrow(/boolean/);
    expect(() => renderTemplate('#if on\nx', { on: true })).toThrow(/endif/);
  });

  it('refuses missing and unused values, so a template and its caller cannot drift apart', () => {
    expect(() => renderTemplate('a = @{x};', {})).toThrow(/needs a value/);
    expect(() => renderTemplate('a = 1;', { x: 1 })).toThrow(/does not use/);
    expect(() => renderTemplate('#if off\na = @{x};\n#endif', { off: false })).toThrow(
      /needs a value/,
    );
  });

  it('renders bindings and expressions the program built', () => {
    const body = nixBindings([
      { path: ['a'], value: nixExpr('pkgs.zsh') },
      { comment: 'why' },
      { path: ['b', 'c'], value: true },
    ]);
    expect(renderTemplate('{\n  @{body}\n}', { body })).toBe(
      '{\n  a = pkgs.zsh;\n  # why\n  b.c = true;\n}\n',
    );
  });
});
