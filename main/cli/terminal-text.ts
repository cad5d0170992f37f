/** Characters a terminal acts on instead of showing (C0, DEL, C1, bidi overrides), but tab and newline. */
const ACTIVE = /[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from a machine, a repo or a request, made safe to print: an escape sequence in a
 * fixture's model name or in a host folder's name would otherwise retitle, clear or recolour
 * the user's terminal, or hide what is printed. Each such character is shown as its code.
 */
export function terminalText(text: string): string {
  return text.replace(ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
