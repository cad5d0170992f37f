/**
 * Whether the line the terminal's cursor stands on asks for a password, as `sudo` does
 * ("[sudo] password for alice: ", "Password:", a distribution's own wording) and nothing else
 * on the line after it. What it asks about, or null.
 */
export function passwordPrompt(line: string): string | null {
  const trimmed = line.trimEnd();
  return trimmed.length <= 200 && /(password|passphrase)[^:]*:$/i.test(trimmed) ? trimmed : null;
}

/** The user sudo asks the password of, when the prompt says ("[sudo] password for alice:"). */
export function promptedUser(prompt: string): string | null {
  return /password for ([^\s:]+)/i.exec(prompt)?.[1] ?? null;
}
