import type { Answers } from '../../../common/answers';
import type { Facts } from '../../../common/facts';
import {
  type NixBinding,
  type NixExpr,
  nixBindings,
  nixExpr,
  nixPath,
  toNix,
} from '../nix/literal';
import { renderHardwareConfiguration } from './hardware-configuration';
import { renderHome } from './home';
import { hostKind } from './inputs';
import { bootChoice, machineChoices } from './machine';
import { RELEASES, type Release } from './releases';
import { hostSecretsVars, passwordVars, secretsModule } from './secrets';
import { loadTemplate, renderTemplate } from './template';
import type { GeneratedFile } from './types';
import { answersForMachine } from './validate';

const TOOLCHAIN_PACKAGES: Readonly<Record<Answers['toolchains'][number], NixExpr[]>> = {
  c: [nixExpr('pkgs.gcc'), nixExpr('pkgs.gnumake'), nixExpr('pkgs.gdb')],
  rust: [
    nixExpr('pkgs.cargo'),
    nixExpr('pkgs.rustc'),
    nixExpr('pkgs.rust-analyzer'),
    nixExpr('pkgs.clippy'),
    nixExpr('pkgs.rustfmt'),
  ],
  go: [nixExpr('pkgs.go'), nixExpr('pkgs.gopls')],
  python: [nixExpr('pkgs.python3'), nixExpr('pkgs.uv')],
  node: [nixExpr('pkgs.nodejs')],
  java: [nixExpr('pkgs.jdk')],
  nix: [nixExpr('pkgs.nil'), nixExpr('pkgs.nixfmt'), nixExpr('pkgs.nix-tree')],
};

const SHELL_PACKAGES: Readonly<Record<Exclude<Answers['shell'], 'bash'>, NixExpr>> = {
  zsh: nixExpr('pkgs.zsh'),
  fish: nixExpr('pkgs.fish'),
};

const HOME_MODULES = '../../../home';

function toolchainPackages(answers: Answers): NixExpr[] {
  return answers.toolchains.flatMap((toolchain) => TOOLCHAIN_PACKAGES[toolchain]);
}

/** The allowUnfreePredicate line of the host templates, without its list. */
const ONE_LINE_PREDICATE =
  '  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) ;';

/** nixfmt keeps the predicate on one line when its list is one name and the line fits. */
function predicateFitsOneLine(unfree: readonly string[]): boolean {
  return unfree.length === 1 && ONE_LINE_PREDICATE.length + toNix(unfree).length <= 100;
}

function unfreeFromAnswers(answers: Answers): string[] {
  return answers.editor === 'vscode' ? ['vscode'] : [];
}

/** The values both host templates fill alike: the home module, services, packages, unfree ones. */
function homeAndSoftwareVars(
  answers: Answers,
  release: Release,
  services: NixBinding[],
  unfree: string[],
) {
  const packages = toolchainPackages(answers);
  return {
    homeModule: nixPath(`${HOME_MODULES}/${answers.userName}`),
    homeStateVersion: release.version,
    hasServices: services.length > 0,
    services: nixBindings(services),
    hasPackages: packages.length > 0,
    packages,
    allowUnfree: answers.allowUnfree,
    hasUnfreePackages: !answers.allowUnfree && unfree.length > 0,
    unfreeOnOneLine: predicateFitsOneLine(unfree),
    unfreePackages: unfree,
  };
}

/** `system.stateVersion` of a NixOS machine: the release it already runs, else the channel's. */
export function nixosStateVersion(
  facts: Facts,
  answers: Answers,
  release: Release = RELEASES[answers.channel],
): string {
  const version = facts.os.version;
  if (facts.os.id === 'nixos' && version !== null) {
    const release = /^(\d{2}\.\d{2})/.exec(version)?.[1];
    if (release) return release;
  }
  return release.version;
}

function nixosModule(folder: string, name: string): NixExpr {
  return nixPath(`../../../modules/nixos/${folder}/${name}.nix`);
}

function renderNixosHost(
  facts: Facts,
  answers: Answers,
  release: Release,
): { host: string; hardware: boolean } {
  const machine = machineChoices(facts, answers.userName);
  const services = new Set(answers.services);
  const imports: NixExpr[] = [];
  if (machine.hardwareConfiguration) imports.push(nixPath('./hardware-configuration.nix'));
  imports.push(...machine.imports, nixosModule('services', 'networking'));
  if (answers.profile === 'development' || answers.profile === 'full') {
    imports.push(nixosModule('services', 'development'));
  }
  if (services.has('docker') || services.has('podman'))
    imports.push(nixosModule('services', 'containers'));
  if (services.has('printing')) imports.push(nixosModule('services', 'printing'));
  if (services.has('bluetooth')) imports.push(nixosModule('services', 'bluetooth'));
  if (services.has('flatpak')) imports.push(nixosModule('services', 'flatpak'));
  if (answers.desktop !== 'none') imports.push(nixosModule('desktop', answers.desktop));
  if (services.has('remote-desktop')) imports.push(nixosModule('desktop', 'remote-access'));
  imports.push(nixPath(`../../../packages/${answers.profile}.nix`));
  if (answers.secrets) imports.push(secretsModule('nixos'));

  const serviceSettings: NixBinding[] = [];
  if (services.has('openssh'))
    serviceSettings.push({ path: ['services', 'openssh', 'enable'], value: true });
  if (answers.sshPasswordLogin) {
    serviceSettings.push(
      { comment: "SSH takes the user's password as well as keys." },
      { path: ['services', 'openssh', 'settings', 'PasswordAuthentication'], value: true },
    );
  }
  if (services.has('tailscale'))
    serviceSettings.push({ path: ['services', 'tailscale', 'enable'], value: true });
  if (services.has('docker'))
    serviceSettings.push({ path: ['virtualisation', 'docker', 'enable'], value: true });
  if (services.has('podman'))
    serviceSettings.push({ path: ['virtualisation', 'podman', 'enable'], value: true });

  const groups = ['wheel'];
  if (machine.networkManager || answers.desktop !== 'none') groups.push('networkmanager');
  if (services.has('docker')) groups.push('docker');

  const boot = bootChoice(facts);
  const unfree = [...new Set([...machine.unfreePackages, ...unfreeFromAnswers(answers)])];
  const shell = answers.shell === 'bash' ? null : answers.shell;

  const host = renderTemplate(loadTemplate('host/nixos.nix'), {
    imports,
    hostName: answers.hostName,
    hasMachine: machine.settings.length > 0,
    machine: nixBindings(machine.settings),
    bootSystemdBoot: boot.loader === 'systemd-boot',
    bootExtlinux: boot.loader === 'extlinux',
    bootGrub: boot.loader === 'grub',
    bootGrubEfi: boot.loader === 'grub-efi',
    bootCloudImage: boot.loader === 'cloud-image',
    canTouchEfiVariables: 'canTouchEfiVariables' in boot ? boot.canTouchEfiVariables : false,
    hasEfiSysMountPoint: 'efiSysMountPoint' in boot && boot.efiSysMountPoint !== null,
    efiSysMountPoint: 'efiSysMountPoint' in boot ? (boot.efiSysMountPoint ?? '') : '',
    grubDevice: boot.loader === 'grub' ? boot.device : '',
    timeZone: answers.timeZone,
    locale: answers.locale,
    keyboardLayout: answers.keyboardLayout,
    keyboardVariant: answers.keyboardVariant,
    userName: answers.userName,
    hasFullName: answers.fullName !== '',
    fullName: answers.fullName,
    extraGroups: groups,
    sshAuthorizedKeys: answers.sshAuthorizedKeys,
    hasShell: shell !== null,
    shell: shell ?? 'bash',
    shellPackage: shell === null ? null : SHELL_PACKAGES[shell],
    ...homeAndSoftwareVars(answers, release, serviceSettings, unfree),
    stateVersion: nixosStateVersion(facts, answers, release),
    ...hostSecretsVars(facts, answers),
    ...passwordVars(answers),
  });
  return { host, hardware: machine.hardwareConfiguration };
}

function renderDarwinHost(facts: Facts, answers: Answers, release: Release): string {
  const services: NixBinding[] = [];
  if (answers.services.includes('openssh')) {
    // nix-darwin turns on macOS's own Remote Login.
    services.push({ path: ['services', 'openssh', 'enable'], value: true });
  }
  if (answers.services.includes('tailscale')) {
    services.push({ path: ['services', 'tailscale', 'enable'], value: true });
  }
  const unfree = unfreeFromAnswers(answers);
  return renderTemplate(loadTemplate('host/darwin.nix'), {
    imports: [
      nixPath(`../../../packages/${answers.profile}.nix`),
      ...(answers.secrets ? [secretsModule('darwin')] : []),
    ],
    hostName: answers.hostName,
    system: facts.system,
    determinate: facts.nix.determinate,
    timeZone: answers.timeZone,
    userName: answers.userName,
    homeDirectory: `/Users/${answers.userName}`,
    hasFullName: answers.fullName !== '',
    fullName: answers.fullName,
    sshAuthorizedKeys: answers.sshAuthorizedKeys,
    hasShell: answers.shell !== 'bash',
    shell: answers.shell,
    ...homeAndSoftwareVars(answers, release, services, unfree),
    stateVersion: release.darwinStateVersion,
    ...hostSecretsVars(facts, answers),
  });
}

/**
 * The host's folder (hosts/<kind>/<name>/) and the user's home/<user>/ files. `release` is the
 * one the repo follows: a new repo follows the answers' channel; adding to an existing repo
 * follows whatever its flake pins.
 */
export function renderHost(
  facts: Facts,
  answers: Answers,
  release: Release = RELEASES[answers.channel],
): GeneratedFile[] {
  answersForMachine(answers, facts);
  const kind = hostKind(facts);
  const dir = `hosts/${kind}/${answers.hostName}`;
  const files: GeneratedFile[] = [];
  if (kind === 'darwin') {
    files.push({
      path: `${dir}/default.nix`,
      content: renderDarwinHost(facts, answers, release),
      owner: 'user',
    });
  } else {
    const { host, hardware } = renderNixosHost(facts, answers, release);
    files.push({ path: `${dir}/default.nix`, content: host, owner: 'user' });
    if (hardware) {
      files.push({
        path: `${dir}/hardware-configuration.nix`,
        content: renderHardwareConfiguration(facts),
        owner: 'machine',
      });
    }
  }
  files.push({
    path: `home/${answers.userName}/default.nix`,
    content: renderHome(answers),
    owner: 'user',
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
