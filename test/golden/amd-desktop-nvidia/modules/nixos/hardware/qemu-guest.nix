# A QEMU/KVM guest (libvirt, Proxmox, UTM, most clouds).
{ ... }:
{
  # Lets the host shut the guest down cleanly and read its IP addresses.
  services.qemuGuest.enable = true;
}
