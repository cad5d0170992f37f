/**
 * A word a POSIX shell reads back as exactly `word`: left bare when it holds only characters
 * the shell gives no meaning (`#` only after the first, where it would start a comment),
 * otherwise single-quoted.
 */
export function shellWord(word: string): string {
  return /^[\w./:@%+=,-][\w./#:@%+=,-]*$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
