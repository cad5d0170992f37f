import { listDir } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

/** Strings firmware vendors leave in DMI fields they did not fill in. */
const PLACEHOLDER =
  /^(to be filled by o\.e\.m\.|system product name|system version|default string|not applicable|none|n\/a|0+|x\.x|type1productconfigid)$/i;

function meaningful(value: string | null): string | null {
  return value && !PLACEHOLDER.test(value.trim()) ? value.trim() : null;
}

function dmiModel(ctx: DetectContext): string | null {
  const vendor = meaningful(ctx.dmi('sys_vendor'));
  const version = meaningful(ctx.dmi('product_version'));
  const product = meaningful(ctx.dmi('product_name'));
  // Lenovo keeps the marketing name in product_version and the machine type in product_name.
  if (vendor?.toUpperCase() === 'LENOVO' && version) return version;
  if (product) return product;
  const board = [meaningful(ctx.dmi('board_vendor')), meaningful(ctx.dmi('board_name'))]
    .filter(Boolean)
    .join(' ');
  return board || null;
}

function deviceTreeModel(ctx: DetectContext): string | null {
  const model = ctx.probe.readFile('/proc/device-tree/model');
  return model === null ? null : model.replace(/\0/g, '').trim() || null;
}

/** Host and user name, a human model name, and the network interfaces NixOS would list. */
export function detectIdentity(ctx: DetectContext, facts: FactsDraft): void {
  facts.hostName = ctx.machine.hostName;
  facts.userName = ctx.machine.userName;
  facts.remoteSession =
    ctx.probe.env('SSH_CONNECTION') !== undefined || ctx.probe.env('SSH_TTY') !== undefined;
  if (ctx.isDarwin) {
    facts.model = facts.mac?.hardwareModel || 'Mac';
    facts.networkInterfaces = [];
    return;
  }
  facts.model = deviceTreeModel(ctx) ?? dmiModel(ctx) ?? 'unknown';
  facts.networkInterfaces =
    facts.kind === 'wsl' ? [] : listDir(ctx.probe, '/sys/class/net').filter((n) => n !== 'lo');
}
