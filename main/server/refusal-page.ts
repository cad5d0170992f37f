import type { IncomingMessage } from 'node:http';
import { KEY_SHAPE, printedLine, REFUSAL_WORDS } from '../../common/browser-key';

/** A browser asking for a page gets a page; scripts and tools keep the one-line text answer. */
export function wantsPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A styled refusal page. Inline styles only (the CSP allows them, and scripts not at all); light
 * and dark follow the system.
 */
function page(kind: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Nixstrap</title>
<style>
:root { color-scheme: light dark; --bg: #f5f6f8; --card: #fff; --text: #1c2230; --muted: #5d6676; --line: #dde1e7; --accent: #3f63b5; }
@media (prefers-color-scheme: dark) { :root { --bg: #14161b; --card: #1c1f26; --text: #e6e8ee; --muted: #9aa3b2; --line: #323744; --accent: #7ea6f2; } }
body { margin: 0; background: var(--bg); color: var(--text); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 38rem; margin: 12vh auto; padding: 2rem; background: var(--card); border: 1px solid var(--line); border-radius: 12px; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
p, li { color: var(--text); overflow-wrap: anywhere; }
.muted { color: var(--muted); }
code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, monospace; background: color-mix(in srgb, var(--accent) 12%, transparent); padding: 0.1em 0.3em; border-radius: 4px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; }
@media (max-width: 480px) { main { margin: 0; border-radius: 0; border-width: 0 0 1px; } }
</style>
</head>
<body>
<main data-refusal="${kind}">
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * The page for a browser that asks for something behind the key without it (the app itself is
 * public and says the same when it finds no key): what happened, and where the address comes
 * from. The server never sees the key of the address, so the key is always missing here.
 */
export function refusalPage(address: string): string {
  const { title, text } = REFUSAL_WORDS.missing;
  return page(
    'missing',
    title,
    `<p>${escapeHtml(text).replace(KEY_SHAPE, `<code>${KEY_SHAPE}</code>`)}</p>
<p>Find the line that <code>nixstrap serve</code> printed in its terminal:</p>
<pre>${escapeHtml(printedLine(address))}</pre>
<p>Copy that whole address, key included, into the address bar.</p>
<p class="muted">Nixstrap not running any more? Start it again with <code>nixstrap serve</code>; it prints a new address.</p>`,
  );
}

/**
 * The page for a browser that reached Nixstrap through a loopback port other than the one it
 * listens on: an SSH tunnel whose two ends differ. The key lives in the page's origin, port
 * included, so only an address with Nixstrap's own port can work; the page names that port and
 * the tunnel that keeps it.
 */
export function otherPortPage(address: string, reached: number, listening: number): string {
  return page(
    'other-port',
    'This address reaches Nixstrap on another port',
    `<p>This page came in on port ${reached}, forwarded (by an SSH tunnel, say) to Nixstrap, which answers only addresses with its own port, ${listening}.</p>
<p>Forward the same port number on both ends, then open the address <code>nixstrap serve</code> printed, key included:</p>
<pre>ssh -L ${listening}:127.0.0.1:${listening} HOST</pre>
<pre>${escapeHtml(printedLine(address))}</pre>
<p class="muted">Choose the port when starting it with <code>nixstrap serve --port PORT</code>.</p>`,
  );
}
