/*
 * Nix string literals, escaped the way nixpkgs' `escapeNixString` does it: the value read back
 * is exactly the text given. Part of the literal writer.
 */

function assertNoNul(s: string): void {
  if (s.includes('\u0000')) throw new TypeError('Nix strings cannot contain NUL characters');
}

/** A double-quoted Nix string literal whose value is exactly `s`. */
export function nixString(s: string): string {
  assertNoNul(s);
  const body = s.replace(/[\\"\n\r\t]|\$\{/g, (m) => {
    switch (m) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\${m}`;
    }
  });
  return `"${body}"`;
}

/**
 * A `''…''` string for multi-line text, content indented two spaces deeper than `indent`.
 * The closing `''` sits on its own line when the text ends with a newline.
 */
export function nixIndentedString(s: string, indent = 0): string {
  assertNoNul(s);
  if (s === '') return '""';
  const pad = ' '.repeat(indent + 2);
  const lines = s.split('\n');
  const endsWithNewline = s.endsWith('\n');
  if (endsWithNewline) lines.pop();
  const out = lines.map((line, index) => {
    if (line === '') return '';
    const isLast = index === lines.length - 1;
    let text = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const next = line[i + 1];
      if (i === 0 && c === ' ') {
        // An escaped first space keeps Nix's indentation stripping from eating the text's own.
        text += "''\\ ";
      } else if (c === '$' && next === '{') {
        text += "''$";
      } else if (c === '\t') {
        text += "''\\t";
      } else if (c === '\r') {
        text += "''\\r";
      } else if (c === "'" && next === "'") {
        text += "'''";
        i++;
      } else if (c === "'") {
        // A lone quote next to another quote (or the closing '') would read as an escape.
        const closesString = next === undefined && isLast && !endsWithNewline;
        const touchesQuote = next === "'" || next === '$' || next === '\t' || next === '\r';
        text += closesString || touchesQuote ? "''\\'" : "'";
      } else {
        text += c;
      }
    }
    return pad + text;
  });
  const closing = endsWithNewline ? `\n${' '.repeat(indent)}''` : "''";
  return `''\n${out.join('\n')}${closing}`;
}
