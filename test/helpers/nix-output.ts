/**
 * Text shaped like what a rebuild prints: Nix's own lines, builder output with the `name>`
 * prefix, configure and compiler chatter, colours, curly quotes and an ellipsis (multi-byte
 * UTF-8), and nix-output-monitor's box drawing. Deterministic, so runs compare.
 */

const PACKAGES = [
  'hello-2.12.1',
  'openssl-3.0.14',
  'linux-6.6.52-modules',
  'python3.12-requests-2.32.3',
  'gtk4-4.14.5',
  'systemd-256.8',
  'nixos-system-demo-25.05',
];

function storeHash(seed: number): string {
  const alphabet = '0123456789abcdfghijklmnpqrsvwxyz';
  let hash = '';
  let state = seed * 2_654_435_761;
  for (let i = 0; i < 32; i += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    hash += alphabet[state % 32];
  }
  return hash;
}

function block(index: number): string {
  const name = PACKAGES[index % PACKAGES.length] as string;
  const pname = name.replace(/-[0-9].*$/, '');
  const drv = `/nix/store/${storeHash(index)}-${name}.drv`;
  const lines = [
    `building \u2018${drv}\u2019\u2026`,
    `\u001b[1m${pname}>\u001b[0m unpacking sources`,
    `${pname}> unpacking source archive /nix/store/${storeHash(index + 1)}-${name}.tar.xz`,
    `${pname}> source root is ${name}`,
    `${pname}> patching sources`,
    `${pname}> configuring`,
    `${pname}> configure flags: --prefix=/nix/store/${storeHash(index + 2)}-${name} --disable-dependency-tracking`,
    `${pname}> checking for gcc... gcc`,
    `${pname}> checking whether the C compiler works... yes`,
    `${pname}> checking for pkg-config... /nix/store/${storeHash(index + 3)}-pkg-config-wrapper-0.29.2/bin/pkg-config`,
    `${pname}> building`,
    `${pname}> build flags: -j2 SHELL=/nix/store/${storeHash(index + 4)}-bash-5.2p32/bin/bash`,
    `${pname}>   CC       src/${pname}.o`,
    `${pname}>   CCLD     ${pname}`,
    `${pname}> \u001b[33mwarning:\u001b[0m implicit declaration of function \u2018strlcpy\u2019`,
    `${pname}> installing`,
    `${pname}> post-installation fixup`,
    `${pname}> shrinking RPATHs of ELF executables and libraries in /nix/store/${storeHash(index + 2)}-${name}`,
    `${pname}> stripping (with command strip and flags -S -p) in /nix/store/${storeHash(index + 2)}-${name}/bin`,
    `\u250f\u2501 Dependency Graph:`,
    `\u2503 \u23f5 ${name} (buildPhase) \u23f1 ${index % 60}s`,
    `\u2517\u2501 \u2211 \u23f5 1 \u2503 \u23f8 ${index % 7} \u2503 \u2714 ${index} \u2503 \u23f1 ${index}s`,
  ];
  return `${lines.join('\n')}\n`;
}

/** About `bytes` bytes of build output (whole blocks, so slightly more). */
export function nixOutput(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let index = 0; size < bytes; index += 1) {
    const text = block(index);
    parts.push(text);
    size += Buffer.byteLength(text);
  }
  return parts.join('');
}
