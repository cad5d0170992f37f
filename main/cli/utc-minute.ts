/** An ISO time as the CLI prints a moment: `2026-11-26 15:40 UTC`. */
export function utcMinute(iso: string): string {
  return iso.replace('T', ' ').replace(/(:\d\d)?\.\d+Z$/, ' UTC');
}
