import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHardwareConfiguration } from '../../../main/core/generate/hardware-configuration';
import { detectChanged } from './detect-changed';

/** The virtio-serial ports a libvirt guest shows: each port's `name` is its channel. */
function withPorts(names: string[]) {
  return (dir: string) =>
    names.forEach((name, i) => {
      const port = join(dir, `root/sys/class/virtio-ports/vport${i + 1}p1`);
      mkdirSync(port, { recursive: true });
      writeFileSync(join(port, 'name'), `${name}\n`);
    });
}

describe('a QEMU guest whose host opened the SPICE agent channel', () => {
  it('gets the SPICE agent, as virt-manager and GNOME Boxes expect', () => {
    const facts = detectChanged(
      'qemu-kvm-uefi',
      withPorts(['org.qemu.guest_agent.0', 'com.redhat.spice.0']),
    );
    expect(facts.hardwareSettings).toContain('spice-guest');
    expect(renderHardwareConfiguration(facts)).toContain('services.spice-vdagentd.enable = true;');
  });

  it('does not get it with only the guest agent channel (a Proxmox server)', () => {
    const facts = detectChanged('qemu-kvm-uefi', withPorts(['org.qemu.guest_agent.0']));
    expect(facts.hardwareSettings).not.toContain('spice-guest');
    expect(renderHardwareConfiguration(facts)).not.toContain('spice-vdagentd');
  });

  it('does not get it in a container, which sees its host VM’s ports', () => {
    const facts = detectChanged('qemu-kvm-uefi', (dir) => {
      withPorts(['com.redhat.spice.0'])(dir);
      writeFileSync(join(dir, 'root/.dockerenv'), '');
      const commands = JSON.parse(readFileSync(join(dir, 'commands.json'), 'utf8'));
      commands['systemd-detect-virt'] = { stdout: 'docker\n', exitCode: 0 };
      writeFileSync(join(dir, 'commands.json'), JSON.stringify(commands));
    });
    expect(facts.hardwareSettings).not.toContain('spice-guest');
  });
});
