import type { Answers } from '../../../common/answers';
import { type NixBinding, nixBindings } from '../nix/literal';
import { loadTemplate, renderTemplate } from './template';

const EDITOR_SETTINGS: Readonly<Record<Answers['editor'], NixBinding[]>> = {
  nano: [{ path: ['home', 'sessionVariables', 'EDITOR'], value: 'nano' }],
  vim: [{ path: ['programs', 'vim'], value: { enable: true, defaultEditor: true } }],
  neovim: [{ path: ['programs', 'neovim'], value: { enable: true, defaultEditor: true } }],
  helix: [{ path: ['programs', 'helix'], value: { enable: true, defaultEditor: true } }],
  emacs: [
    { path: ['programs', 'emacs', 'enable'], value: true },
    { path: ['home', 'sessionVariables', 'EDITOR'], value: 'emacs' },
  ],
  vscode: [
    { path: ['programs', 'vscode', 'enable'], value: true },
    { path: ['home', 'sessionVariables', 'EDITOR'], value: 'code --wait' },
  ],
};

/** home/<user>/default.nix: shell, git identity and editor, shared by the user's hosts. */
export function renderHome(answers: Answers): string {
  const git: NixBinding[] =
    answers.git.name !== '' || answers.git.email !== ''
      ? [
          {
            path: ['programs', 'git'],
            value: {
              enable: true,
              settings: {
                user: {
                  ...(answers.git.name !== '' ? { name: answers.git.name } : {}),
                  ...(answers.git.email !== '' ? { email: answers.git.email } : {}),
                },
                init: { defaultBranch: 'main' },
              },
            },
          },
        ]
      : [{ path: ['programs', 'git', 'enable'], value: true }];
  const settings: NixBinding[] = [
    { path: ['programs', answers.shell, 'enable'], value: true },
    { blank: true },
    ...git,
    { blank: true },
    ...EDITOR_SETTINGS[answers.editor],
  ];
  return renderTemplate(loadTemplate('home/default.nix'), { settings: nixBindings(settings) });
}
