import {
  missingReaders,
  type NamedRecipient,
  type RemoveSecretResult,
  type RotateResult,
  type SecretsReport,
  type SetSecretResult,
} from '../../common';

function who(recipient: NamedRecipient): string {
  return recipient.name ? `${recipient.name} (${recipient.recipient})` : recipient.recipient;
}

/** `secrets list`: each file's secret names and how many values, never a value. */
export function formatSecretsList(report: SecretsReport): string {
  if (report.files.length === 0) return `No SOPS files in ${report.repo}.`;
  return report.files
    .map((file) => {
      if (file.problem) return `${file.path}\n  cannot be read: ${file.problem}`;
      const names = file.names.length > 0 ? file.names.join(', ') : '(empty)';
      return `${file.path}  encrypted, ${file.values} value(s)\n  ${names}`;
    })
    .join('\n');
}

/** `secrets recipients`: who can open each file, and who .sops.yaml says should. */
export function formatRecipients(report: SecretsReport): string {
  const lines = [
    report.owner.recipient
      ? `Your age key: ${report.owner.path} (public key ${report.owner.recipient})`
      : report.owner.problem
        ? `Your age key cannot be used: ${report.owner.problem}`
        : `No age key of yours on this machine (looked at ${report.owner.path}).`,
  ];
  const stale: string[] = [];
  for (const file of report.files) {
    lines.push('', file.path);
    if (file.problem) {
      lines.push(`  cannot be read: ${file.problem}`);
      continue;
    }
    for (const r of file.recipients) lines.push(`  ${who(r)}`);
    const absent = missingReaders(file);
    if (file.wanted === null) lines.push('  no rule in .sops.yaml covers this file');
    if (absent.length > 0) {
      stale.push(file.path);
      lines.push(`  not yet readable by: ${absent.map(who).join(', ')}`);
    }
  }
  if (stale.length > 0) {
    lines.push(
      '',
      `To let them in, run on a machine with a key that opens these files: sops updatekeys -y ${stale.join(' ')}`,
    );
  }
  return lines.join('\n');
}

export function formatSetSecret(result: SetSecretResult): string {
  return [
    `${result.created ? 'Created' : 'Updated'} ${result.file} with ${result.name} (encrypted) and committed ${result.commit?.slice(0, 12) ?? ''}.`,
    `Use it in the host's configuration: ${result.nixLine}`,
  ].join('\n');
}

export function formatRemoveSecret(result: RemoveSecretResult): string {
  const lines = [
    `Removed ${result.name} from ${result.file} and committed ${result.commit?.slice(0, 12) ?? ''}. Earlier commits still hold its value, encrypted: if it leaked, change it where it is used.`,
  ];
  if (result.stillUsedIn.length > 0) {
    lines.push(
      `Still named in ${result.stillUsedIn.join(', ')}: sops-nix fails a switch for a secret its file lacks, so take those lines out too.`,
    );
  }
  return lines.join('\n');
}

export function formatRotate(result: RotateResult): string {
  if (result.files.length === 0) return 'No SOPS files to rotate.';
  return [
    ...result.files.map((file) => `  new data key for ${file}`),
    `Committed ${result.commit?.slice(0, 12) ?? ''}. Rebuild each host so it picks up the re-encrypted files.`,
  ].join('\n');
}
