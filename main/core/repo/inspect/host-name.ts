import { stringValue, tokenize, unlessSyntaxError } from '../../nix/lexer';

export type HostNameBinding = { name: string; line: number; column: number };

/**
 * The literal `networking.hostName = "…";` a Nix file sets, with where it stands; null when
 * it sets none, sets a computed one, or does not lex (a parse check reports that).
 */
export function declaredHostName(source: string): HostNameBinding | null {
  const tokens = unlessSyntaxError(
    () => tokenize(source).filter((t) => t.kind !== 'space' && t.kind !== 'comment'),
    [],
  );
  for (let i = 0; i + 4 < tokens.length; i++) {
    const [a, dot, b, eq, value] = tokens.slice(i, i + 5);
    if (a?.text !== 'networking' || dot?.text !== '.' || b?.text !== 'hostName') continue;
    if (eq?.text !== '=') continue;
    const name = stringValue(value);
    return name === null ? null : { name, line: a.line, column: a.column };
  }
  return null;
}
