import { listDir, readValue } from '../sysfs';
import type { DetectContext, FactsDraft } from './context';

/**
 * SMBIOS chassis types of machines carried around: portable, laptop, notebook, hand held,
 * sub-notebook, tablet, convertible, detachable. A tablet wants what a laptop does (power
 * profiles, battery reporting, Wi-Fi from the desktop), even before its battery driver loads.
 */
const LAPTOP_CHASSIS = new Set(['8', '9', '10', '11', '14', '30', '31', '32']);

/** Apple Silicon laptops whose hw.model does not say MacBook. */
const MAC_LAPTOP_MODELS = new Set(
  'Mac14,2 Mac14,5 Mac14,6 Mac14,7 Mac14,9 Mac14,10 Mac14,15 Mac15,3 Mac15,6 Mac15,7 Mac15,8 Mac15,9 Mac15,10 Mac15,11 Mac15,12 Mac15,13 Mac16,1 Mac16,5 Mac16,6 Mac16,7 Mac16,8 Mac16,12 Mac16,13'.split(
    ' ',
  ),
);

/** Whether the machine is a laptop (chassis or battery) and has Bluetooth (§7). */
export function detectLaptop(ctx: DetectContext, facts: FactsDraft): void {
  if (ctx.isDarwin) {
    const model = facts.mac?.hardwareModel ?? '';
    facts.isLaptop = model.startsWith('MacBook') || MAC_LAPTOP_MODELS.has(model);
    facts.bluetooth = false;
    return;
  }
  const chassis = ctx.dmi('chassis_type');
  const supplies = listDir(ctx.probe, '/sys/class/power_supply');
  // Asahi names its battery `macsmc-battery`; a wireless mouse's battery has scope Device.
  const battery =
    supplies.some((name) => name.startsWith('BAT')) ||
    supplies.some(
      (name) =>
        readValue(ctx.probe, `/sys/class/power_supply/${name}/type`) === 'Battery' &&
        readValue(ctx.probe, `/sys/class/power_supply/${name}/scope`) !== 'Device',
    );
  facts.isLaptop = (chassis !== null && LAPTOP_CHASSIS.has(chassis)) || battery;
  facts.bluetooth = listDir(ctx.probe, '/sys/class/bluetooth').some((n) => /^hci\d+$/.test(n));
}
