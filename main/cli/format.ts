import type {
  ApplyResult,
  CheckReport,
  EncryptedSummary,
  Facts,
  Host,
  NixstrapError,
  Plan,
} from '../../common';
import { noticesAfterWrite } from '../../common/detached-head';
import {
  formatBoot,
  formatCpu,
  formatKeyboard,
  formatMemory,
  formatNix,
  formatOs,
  machineLabel,
} from '../../common/labels';
import { PLAN_STEPS_HEADING, PLAN_WARNINGS_HEADING } from '../../common/plan-headings';
import { updatesExistingHost } from '../../common/plan-host';
import { shellWord } from '../../common/shell-word';
import { stripAnsi } from '../core/rebuild/text';
import { table } from './table';

export function formatFacts(facts: Facts): string {
  // The same words as the wizard's first screen (common/labels), in columns.
  const lines = [
    `Machine      ${machineLabel(facts)}`,
    `Model        ${facts.model || 'unknown'}`,
    `System       ${facts.system}`,
    `Host / user  ${facts.hostName} / ${facts.userName}`,
    `CPU          ${formatCpu(facts.cpu)}`,
    `Memory       ${formatMemory(facts.memoryBytes)}`,
    `Boot         ${formatBoot(facts)}`,
    `OS           ${formatOs(facts.os)}`,
    `Nix          ${formatNix(facts.nix)}`,
  ];
  // What the answers propose, shown where the machine named it.
  if (facts.timeZone) lines.push(`Time zone    ${facts.timeZone}`);
  if (facts.locale) lines.push(`Locale       ${facts.locale}`);
  if (facts.keyboard) lines.push(`Keyboard     ${formatKeyboard(facts.keyboard)}`);
  for (const gpu of facts.gpus) {
    const id = gpu.pciId && !gpu.name.includes(gpu.pciId) ? ` [${gpu.pciId}]` : '';
    lines.push(
      `GPU          ${gpu.name || gpu.vendor}${id}${gpu.driver ? `, driver ${gpu.driver}` : ''}`,
    );
  }
  if (facts.isLaptop) lines.push('Laptop       yes');
  if (facts.installer) {
    lines.push(
      'Installer    yes: the file systems are those of the system mounted at /mnt, for nixos-install',
    );
  }
  const mounts = Object.entries(facts.fileSystems);
  if (mounts.length) {
    lines.push('File systems');
    lines.push(
      table(
        mounts.map(([mountPoint, fs]) => [mountPoint, fs.fsType, fs.device]),
        { indent: '  ' },
      ),
    );
  }
  for (const [name, luks] of Object.entries(facts.luksDevices)) {
    const inLvm = luks.insideLvm ? ', inside an LVM volume (opened after LVM)' : '';
    lines.push(`Encrypted    LUKS ${name} on ${luks.device}${inLvm}`);
  }
  if (facts.hostId) lines.push(`ZFS host id  ${facts.hostId}`);
  for (const swap of facts.swapDevices) lines.push(`Swap         ${swap.device}`);
  const modules = facts.kernelModules;
  if (modules.initrdAvailable.length)
    lines.push(`Initrd       ${modules.initrdAvailable.join(' ')}`);
  if (modules.kernel.length) lines.push(`Kernel mods  ${modules.kernel.join(' ')}`);
  for (const warning of facts.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

/** An encrypted file as the plan shows it: a count and its readers, never a value. */
export function encryptedSummary(summary: EncryptedSummary): string {
  const readers = summary.recipients.map((r) => r.name ?? r.recipient).join(', ');
  return `encrypted, ${summary.values} value${summary.values === 1 ? '' : 's'}, readable by ${readers}`;
}

/** The steps before the first rebuild, numbered as the Done screen numbers them. */
function stepLines(steps: readonly string[]): string[] {
  if (!steps.length) return [];
  return [`${PLAN_STEPS_HEADING}:`, ...steps.map((step, i) => `  ${i + 1}. ${step}`)];
}

export function formatPlan(plan: Plan, withDiffs: boolean): string {
  const lines = [
    `Plan for ${plan.journey} of host ${plan.hostName} in ${plan.repo} (layout: ${plan.layout})`,
  ];
  if (updatesExistingHost(plan)) {
    lines.push(`Host ${plan.hostName} is already in ${plan.hostDir}: this plan updates it.`);
  }
  for (const file of plan.files) {
    const secret = file.encrypted ? `  (${encryptedSummary(file.encrypted)})` : '';
    lines.push(`  ${file.action.padEnd(9)} ${file.path}${secret}`);
  }
  lines.push(...stepLines(plan.steps));
  for (const warning of plan.warnings) lines.push(`Warning: ${warning}`);
  if (withDiffs) {
    for (const file of plan.files)
      if (file.diff && file.action !== 'unchanged') lines.push('', file.diff.trimEnd());
  }
  const changed = plan.files.filter((f) => f.action !== 'unchanged').length;
  lines.push(
    '',
    changed
      ? `${changed} file(s) would change. Nothing was written to the repo.`
      : 'Everything is up to date.',
  );
  return lines.join('\n');
}

export function formatApply(result: ApplyResult): string {
  if (!result.written.length) return `Nothing to do: ${result.plan.repo} already matches.`;
  const lines = result.written.map((file) => `  wrote ${file}`);
  if (updatesExistingHost(result.plan)) {
    lines.unshift(`Updated host ${result.plan.hostName}, already in ${result.plan.hostDir}:`);
  }
  lines.push(
    result.commit
      ? `Committed ${result.commit.slice(0, 12)} in ${result.plan.repo}.`
      : 'Nothing committed.',
  );
  if (result.backup) {
    lines.push(
      `Your versions of ${result.backup.files.join(', ')} are saved in commit ${result.backup.commit.slice(0, 12)} (${result.backup.ref}): \`git show ${result.backup.ref}:./FILE\` shows one.`,
    );
  }
  // As on the Done screen: the steps to take, then what to know, apart from them.
  lines.push(...stepLines(result.plan.steps));
  if (result.plan.nextCommand) {
    // Through Nixstrap the switch is recorded in the ledger and can be rolled back from it.
    const { repo, hostName } = result.plan;
    lines.push(
      `Next: nixstrap rebuild --repo ${shellWord(repo)} --host ${shellWord(hostName)} --action switch`,
      `  (or by hand: ${result.plan.nextCommand})`,
    );
  }
  const notices = noticesAfterWrite(result);
  if (notices.length) {
    lines.push(`${PLAN_WARNINGS_HEADING}:`, ...notices.map((warning) => `  - ${warning}`));
  }
  return lines.join('\n');
}

export function formatHosts(hosts: Host[]): string {
  if (!hosts.length) return 'No hosts found.';
  return table(hosts.map((h) => [h.name, h.kind, h.system ?? '?', h.path]));
}

export function formatCheck(report: CheckReport): string {
  const lines = report.findings.map(
    (f) => `${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}: ${f.message}`,
  );
  lines.push(
    report.findings.length
      ? `${report.findings.length} problem(s) in ${report.filesChecked} file(s).`
      : `All ${report.filesChecked} .nix file(s) parse, imports exist and git tracks them, inputs are declared and host names match their folders.`,
  );
  return lines.join('\n');
}

export function formatError(error: NixstrapError): string {
  return `nixstrap: ${error.message}\n  hint: ${error.hint}`;
}

/** A run's terminal stream for a pipe or a file: no colours, no redrawn lines. */
export function plainTerminal(chunk: string): string {
  return stripAnsi(chunk).replace(/\r+\n/g, '\n').replace(/\r/g, '');
}
