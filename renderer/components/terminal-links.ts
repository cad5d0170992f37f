/**
 * Terminal output is untrusted: a build log can print any link. Only https links to the places
 * Nix's own messages point at become clickable; everything else stays text.
 */
const ALLOWED_HOSTS = [
  'nixos.org',
  'nix.dev',
  'nixos.wiki',
  'github.com',
  'gitlab.com',
  'codeberg.org',
  'determinate.systems',
];

export function allowedLink(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return null;
  const host = url.hostname.toLowerCase();
  const allowed = ALLOWED_HOSTS.some((name) => host === name || host.endsWith(`.${name}`));
  return allowed ? url.href : null;
}

/** The https URLs in one line of text, with where each starts (0-based column). */
export function linksIn(line: string): { url: string; start: number; text: string }[] {
  const found: { url: string; start: number; text: string }[] = [];
  for (const match of line.matchAll(/https:\/\/[^\s'"`<>\u2018\u2019\u201c\u201d]+/g)) {
    const text = match[0].replace(/[.,;:!?)\]}]+$/, '');
    const url = allowedLink(text);
    if (url) found.push({ url, start: match.index ?? 0, text });
  }
  return found;
}
