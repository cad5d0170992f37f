import type { Facts } from '../../../common/facts';
import { type NixExpr, nixExpr } from '../nix/literal';

/**
 * nixos-hardware profiles for machines recognised by their DMI model name. No lookup table
 * exists upstream, so Nixstrap owns this one; every entry is a literal expression written here,
 * never text built from what a machine reports. Names as in nixos-hardware's flake.nix.
 */
const BY_MODEL: Readonly<Record<string, NixExpr>> = {
  'ThinkPad T410': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t410'),
  'ThinkPad T420': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t420'),
  'ThinkPad T430': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t430'),
  'ThinkPad T440p': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t440p'),
  'ThinkPad T440s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t440s'),
  'ThinkPad T450s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t450s'),
  'ThinkPad T460': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t460'),
  'ThinkPad T460p': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t460p'),
  'ThinkPad T460s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t460s'),
  'ThinkPad T470s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t470s'),
  'ThinkPad T480': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t480'),
  'ThinkPad T480s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t480s'),
  'ThinkPad T490': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t490'),
  'ThinkPad T490s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t490s'),
  'ThinkPad T495': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t495'),
  'ThinkPad T520': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t520'),
  'ThinkPad T550': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t550'),
  'ThinkPad T590': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-t590'),
  'ThinkPad W520': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-w520'),
  'ThinkPad X220': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x220'),
  'ThinkPad X230': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x230'),
  'ThinkPad X250': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x250'),
  'ThinkPad X260': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x260'),
  'ThinkPad X270': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x270'),
  'ThinkPad X280': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x280'),
  'ThinkPad X390': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x390'),
  'ThinkPad X13s': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x13s'),
  'ThinkPad P50': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-p50'),
  'ThinkPad P51': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-p51'),
  'ThinkPad P52': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-p52'),
  'ThinkPad P53': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-p53'),
  'ThinkPad E470': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-e470'),
  'ThinkPad E495': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-e495'),
  'ThinkPad L480': nixExpr('inputs.nixos-hardware.nixosModules.lenovo-thinkpad-l480'),
  'ThinkPad X1 Carbon 6th': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-6th-gen',
  ),
  'ThinkPad X1 Carbon 7th': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-7th-gen',
  ),
  'ThinkPad X1 Carbon Gen 9': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-9th-gen',
  ),
  'ThinkPad X1 Carbon Gen 10': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-10th-gen',
  ),
  'ThinkPad X1 Carbon Gen 11': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-11th-gen',
  ),
  'ThinkPad X1 Carbon Gen 12': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-12th-gen',
  ),
  'ThinkPad X1 Carbon Gen 13': nixExpr(
    'inputs.nixos-hardware.nixosModules.lenovo-thinkpad-x1-13th-gen',
  ),
  'XPS 13 9300': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9300'),
  'XPS 13 9310': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9310'),
  'XPS 13 9315': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9315'),
  'XPS 13 9360': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9360'),
  'XPS 13 9370': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9370'),
  'XPS 13 9380': nixExpr('inputs.nixos-hardware.nixosModules.dell-xps-13-9380'),
  'Laptop (11th Gen Intel Core)': nixExpr(
    'inputs.nixos-hardware.nixosModules.framework-11th-gen-intel',
  ),
  'Laptop (12th Gen Intel Core)': nixExpr(
    'inputs.nixos-hardware.nixosModules.framework-12th-gen-intel',
  ),
  'Laptop (13th Gen Intel Core)': nixExpr(
    'inputs.nixos-hardware.nixosModules.framework-13th-gen-intel',
  ),
  'Laptop 13 (AMD Ryzen 7040Series)': nixExpr(
    'inputs.nixos-hardware.nixosModules.framework-13-7040-amd',
  ),
  'Laptop 16 (AMD Ryzen 7040 Series)': nixExpr(
    'inputs.nixos-hardware.nixosModules.framework-16-7040-amd',
  ),
};

/** The nixos-hardware profile for this exact machine model, or null when there is none. */
export function hardwareModelModule(facts: Facts): NixExpr | null {
  if (facts.kind !== 'bare-metal') return null;
  const model = facts.model.trim();
  return Object.hasOwn(BY_MODEL, model) ? (BY_MODEL[model] ?? null) : null;
}
