/**
 * A word a POSIX shell reads back as exactly `word`: left bare when it holds only characters
 * the shell gives no meaning (`#` only after the first, where it would start a comment),
 * otherwise single-quoted.
 */
export function shellWord(word: string): string {
  return /^[\w./:@%+=,-][\w./#:@%+=,-]*$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** A command line as the user would type it, each word quoted where the shell needs it. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}
