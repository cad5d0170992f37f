// Writes main/core/generate/data/xkb-layouts.json from xkeyboard-config's rules/base.lst (Debian:
// `apt-get install xkb-data`). Run again after a newer xkeyboard-config:
//   node scripts/xkb-layouts.mjs && npx biome check --write main/core/generate/data
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LIST = process.argv[2] ?? '/usr/share/X11/xkb/rules/base.lst';
const OUT = new URL('../main/core/generate/data/xkb-layouts.json', import.meta.url);

// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format string, not a template.
const FORMAT = '-f=${Version}';

function version() {
  try {
    return execFileSync('dpkg-query', ['-W', FORMAT, 'xkb-data'], { encoding: 'utf8' })
      .replace(/-[^-]*$/, '')
      .trim();
  } catch {
    return 'unknown';
  }
}

const sections = {};
let section = null;
for (const line of readFileSync(LIST, 'utf8').split('\n')) {
  const header = /^! (\w+)/.exec(line);
  if (header) {
    section = header[1];
    sections[section] = [];
  } else if (section && line.trim()) {
    sections[section].push(line.trim());
  }
}

const layouts = {};
for (const entry of sections.layout) {
  const [, name, description] = /^(\S+)\s+(.*)$/.exec(entry);
  layouts[name] = { description, variants: [] };
}
for (const entry of sections.variant) {
  const [, variant, layout] = /^(\S+)\s+(\S+):/.exec(entry);
  layouts[layout]?.variants.push(variant);
}

const data = {
  version: `xkeyboard-config ${version()}`,
  source: 'rules/base.lst',
  layouts,
};
writeFileSync(OUT, `${JSON.stringify(data, null, 2)}\n`);
console.log(`${Object.keys(layouts).length} layouts written to ${OUT.pathname}`);
