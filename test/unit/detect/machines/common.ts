/** Mount lines every systemd Linux shows; detection must skip all of them. */
export function systemMounts(rootId: number): string[] {
  return [
    `${rootId + 1} ${rootId} 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw`,
    `${rootId + 2} ${rootId} 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw`,
    `${rootId + 3} ${rootId} 0:5 / /dev rw,nosuid shared:8 - devtmpfs devtmpfs rw,size=4013884k,nr_inodes=1003471,mode=755`,
    `${rootId + 4} ${rootId + 3} 0:23 / /dev/shm rw,nosuid,nodev shared:9 - tmpfs tmpfs rw`,
    `${rootId + 5} ${rootId + 3} 0:24 / /dev/pts rw,nosuid,noexec,relatime shared:10 - devpts devpts rw,gid=3,mode=620,ptmxmode=666`,
    `${rootId + 6} ${rootId} 0:25 / /run rw,nosuid,nodev shared:11 - tmpfs tmpfs rw,size=2006944k,mode=755`,
    `${rootId + 7} ${rootId + 6} 0:26 / /run/wrappers rw,nodev,relatime shared:13 - tmpfs tmpfs rw,mode=755`,
    `${rootId + 8} ${rootId + 2} 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot`,
    `${rootId + 9} ${rootId + 2} 0:6 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:3 - securityfs securityfs rw`,
    `${rootId + 10} ${rootId + 2} 0:28 / /sys/firmware/efi/efivars rw,nosuid,nodev,noexec,relatime shared:5 - efivarfs efivarfs rw`,
    `${rootId + 11} ${rootId + 1} 0:29 / /proc/sys/fs/binfmt_misc rw,relatime shared:14 - autofs systemd-1 rw,fd=31,pgrp=1,timeout=0,minproto=5,maxproto=5,direct`,
    `${rootId + 12} ${rootId + 3} 0:19 / /dev/mqueue rw,nosuid,nodev,noexec,relatime shared:15 - mqueue mqueue rw`,
    `${rootId + 13} ${rootId + 2} 0:7 / /sys/kernel/debug rw,nosuid,nodev,noexec,relatime shared:16 - debugfs debugfs rw`,
    `${rootId + 14} ${rootId + 2} 0:32 / /sys/fs/fuse/connections rw,nosuid,nodev,noexec,relatime shared:17 - fusectl fusectl rw`,
  ];
}

export function nixosRelease(version: string, codename: string, build: string): string {
  return `ANSI_COLOR="0;38;2;126;186;228"
BUG_REPORT_URL="https://github.com/NixOS/nixpkgs/issues"
BUILD_ID="${build}"
CPE_NAME="cpe:/o:nixos:nixos:${version}"
DEFAULT_HOSTNAME=nixos
DOCUMENTATION_URL="https://nixos.org/learn.html"
HOME_URL="https://nixos.org/"
ID=nixos
ID_LIKE=""
IMAGE_ID=""
IMAGE_VERSION=""
LOGO="nix-snowflake"
NAME=NixOS
PRETTY_NAME="NixOS ${version} (${codename})"
SUPPORT_END="${version.startsWith('25.11') ? '2026-06-30' : '2025-12-31'}"
SUPPORT_URL="https://nixos.org/community.html"
VERSION="${version} (${codename})"
VERSION_CODENAME=${codename.toLowerCase()}
VERSION_ID="${version}"
`;
}

export const SWAPS_HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

export function btrfsSubvolShow(name: string, id: number): string {
  return `${name}
\tName: \t\t\t${name}
\tUUID: \t\t\t6e1c4f9a-1d2b-8a4c-b1e5-${(1000 + id).toString().padStart(12, '0')}
\tParent UUID: \t\t-
\tReceived UUID: \t\t-
\tCreation time: \t\t2024-05-02 19:04:11 +0200
\tSubvolume ID: \t\t${id}
\tGeneration: \t\t48211
\tGen at creation: \t7
\tParent ID: \t\t5
\tTop level ID: \t\t5
\tFlags: \t\t\t-
\tSend transid: \t\t0
\tSend time: \t\t2024-05-02 19:04:11 +0200
\tReceive transid: \t0
\tReceive time: \t\t-
\tSnapshot(s):
\tQuota group:\t\tn/a
`;
}
