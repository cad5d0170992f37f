import { HOME_STATE_VERSIONS } from './nixos';
import type { ExternalModule, OptionSpec } from './schema';

const d = (path: string, type: OptionSpec['type'], file: string, extra: Partial<OptionSpec> = {}) =>
  ({ path, type, from: 'nix-darwin', file: `modules/${file}`, ...extra }) as OptionSpec;

/** nix-darwin options the darwin template and modules/darwin set (see UPSTREAM_REFS). */
export const DARWIN_OPTIONS: readonly OptionSpec[] = [
  d('networking.hostName', 'str', 'networking/default.nix'),
  d(
    'nixpkgs.hostPlatform',
    { stable: 'enum:aarch64-darwin|x86_64-darwin', unstable: 'enum:aarch64-darwin' },
    'nix/nixpkgs.nix',
  ),
  d('nixpkgs.config.allowUnfree', 'bool', 'nix/nixpkgs.nix'),
  d('nixpkgs.config.allowUnfreePredicate', 'lambda', 'nix/nixpkgs.nix'),
  d('nix.enable', 'bool', 'nix/default.nix'),
  d('nix.settings', 'attrs', 'nix/default.nix'),
  d('nix.gc.automatic', 'bool', 'services/nix-gc/default.nix'),
  d('nix.gc.interval', 'attrs', 'services/nix-gc/default.nix'),
  d('nix.gc.options', 'str', 'services/nix-gc/default.nix'),
  d('nix.optimise.automatic', 'bool', 'services/nix-optimise/default.nix'),
  d('time.timeZone', 'str', 'time/default.nix'),
  d('system.primaryUser', 'str', 'system/primary-user.nix'),
  d('system.stateVersion', 'int:1..7', 'system/version.nix', {
    newMachine: { stable: 7, unstable: 7 },
  }),
  d('system.configurationRevision', 'oneOf:str,null', 'system/version.nix'),
  d('users.users.<name>.name', 'str', 'users/user.nix'),
  d('users.users.<name>.home', 'str', 'users/user.nix'),
  d('users.users.<name>.description', 'str', 'users/user.nix'),
  d('users.users.<name>.openssh.authorizedKeys.keys', 'list:str', 'programs/ssh.nix'),
  d('programs.zsh.enable', 'bool', 'programs/zsh/default.nix'),
  d('programs.bash.enable', 'bool', 'programs/bash/default.nix'),
  d('programs.fish.enable', 'bool', 'programs/fish.nix'),
  d('security.pam.services.sudo_local.touchIdAuth', 'bool', 'security/pam.nix'),
  d('services.openssh.enable', 'oneOf:bool,null', 'services/openssh.nix'),
  d('services.tailscale.enable', 'bool', 'services/tailscale.nix'),
  d('environment.systemPackages', 'list:package', 'config/system-path.nix'),
  {
    path: 'home-manager.users.<name>.imports',
    type: 'list:module',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.users.<name>.home.stateVersion',
    type: HOME_STATE_VERSIONS,
    from: 'home-manager',
    file: 'modules/misc/version.nix',
  },
  {
    path: 'home-manager.useGlobalPkgs',
    type: 'bool',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.useUserPackages',
    type: 'bool',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.extraSpecialArgs',
    type: 'attrs',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'home-manager.sharedModules',
    type: 'list:module',
    from: 'home-manager',
    file: 'nixos/common.nix',
  },
  {
    path: 'sops.defaultSopsFile',
    type: 'path',
    from: 'sops-nix',
    file: 'modules/nix-darwin/default.nix',
  },
  {
    path: 'sops.age.sshKeyPaths',
    type: 'list:str',
    from: 'sops-nix',
    file: 'modules/nix-darwin/default.nix',
  },
  {
    path: 'sops.age.keyFile',
    type: 'str',
    from: 'sops-nix',
    file: 'modules/nix-darwin/default.nix',
  },
];

export const DARWIN_EXTERNALS: Readonly<Record<string, ExternalModule>> = {
  'home-manager/darwin': { from: 'home-manager', file: 'nix-darwin/default.nix', defines: [] },
  'sops-nix/darwin': { from: 'sops-nix', file: 'modules/nix-darwin/default.nix', defines: [] },
  'sops-nix/home': { from: 'sops-nix', file: 'modules/home-manager/sops.nix', defines: [] },
};

const h = (path: string, type: OptionSpec['type'], file: string, extra: Partial<OptionSpec> = {}) =>
  ({ path, type, from: 'home-manager', file: `modules/${file}`, ...extra }) as OptionSpec;

/** Home Manager options home/<user>/default.nix sets. */
export const HOME_OPTIONS: readonly OptionSpec[] = [
  h('home.sessionVariables.<name>', 'str', 'home-environment.nix'),
  h('programs.bash.enable', 'bool', 'programs/bash.nix'),
  h('programs.zsh.enable', 'bool', 'programs/zsh/default.nix'),
  h('programs.fish.enable', 'bool', 'programs/fish.nix'),
  h('programs.git.enable', 'bool', 'programs/git.nix'),
  h('programs.git.settings', 'attrs', 'programs/git.nix'),
  h('programs.vim.enable', 'bool', 'programs/vim.nix'),
  h('programs.vim.defaultEditor', 'bool', 'programs/vim.nix'),
  h('programs.neovim.enable', 'bool', 'programs/neovim/default.nix'),
  h('programs.neovim.defaultEditor', 'bool', 'programs/neovim/default.nix'),
  h('programs.helix.enable', 'bool', 'programs/helix.nix'),
  h('programs.helix.defaultEditor', 'bool', 'programs/helix.nix'),
  h('programs.emacs.enable', 'bool', 'programs/emacs.nix'),
  h('programs.vscode.enable', 'bool', 'programs/vscode/mkVscodeModule.nix', { unfree: ['vscode'] }),
];
