import { flagsOf, VERBS, type VerbSpec } from './verbs';

export function helpText(): string {
  const width = Math.max(...Object.keys(VERBS).map((v) => v.length));
  const verbs = Object.entries(VERBS).map(
    ([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`,
  );
  return [
    'Nixstrap: bring this machine under Nix.',
    '',
    'Usage: nixstrap <verb> [flags]',
    '',
    ...verbs,
    '',
    'Run `nixstrap help <verb>` for the flags of one verb.',
  ].join('\n');
}

export function verbHelp(name: string, spec: VerbSpec): string {
  const labels = Object.entries(flagsOf(spec)).map(
    ([flag, f]) => [`--${flag}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  // The help column starts after the longest flag and two spaces, so none runs into its help.
  const width = Math.max(20, ...labels.map(([label]) => label.length + 1));
  const flags = labels.map(([label, help]) => `  ${label.padEnd(width)} ${help}`);
  return [`Usage: ${spec.usage}`, '', `${name}: ${spec.summary}`, '', ...flags].join('\n');
}
