import type { DetectContext, FactsDraft } from './context';

/** KEY=value lines of os-release(5), with shell quoting undone. */
export function parseOsRelease(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1]) continue;
    let value = match[2] ?? '';
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    if (quoted) value = (quoted[1] ?? '').replace(/\\(["$`\\])/g, '$1');
    values.set(match[1], value);
  }
  return values;
}

/** The running OS: os-release on Linux, sw_vers on macOS. */
export function detectOs(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    const result = ctx.probe.run(['sw_vers', '-productVersion']);
    const version = result?.exitCode === 0 ? result.stdout.trim() || null : null;
    facts.os = { id: 'macos', version, prettyName: version ? `macOS ${version}` : 'macOS' };
    return;
  }
  const text =
    ctx.probe.readFile('/etc/os-release') ?? ctx.probe.readFile('/usr/lib/os-release') ?? '';
  const values = parseOsRelease(text);
  facts.os = {
    id: values.get('ID') || 'linux',
    version: values.get('VERSION_ID') || null,
    prettyName: values.get('PRETTY_NAME') || null,
  };
}
