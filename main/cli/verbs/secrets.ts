import { SecretNameSchema } from '../../../common/secrets';
import { print, requiredFlag, stringFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import {
  formatRecipients,
  formatRemoveSecret,
  formatRotate,
  formatSecretsList,
  formatSetSecret,
} from '../format-secrets';
import { readSecretValue } from '../secret-input';

/** The name and file `set` and `remove` act on: a valid name, and exactly one of --host and --common. */
function secretTarget(
  ctx: VerbContext,
  action: 'set' | 'remove',
  name: string | undefined,
): { name: string; target: { host: string } | { common: true } } {
  const host = stringFlag(ctx, 'host');
  const common = Boolean(ctx.flags.common);
  if (name === undefined || (host === undefined) === !common) {
    throw usageFailure(
      `\`nixstrap secrets ${action}\` needs the secret's name and exactly one of --host NAME and --common.`,
      action === 'set'
        ? 'Usage: printf %s "$VALUE" | nixstrap secrets set NAME --host NAME --repo DIR'
        : 'Usage: nixstrap secrets remove NAME --host NAME --repo DIR',
    );
  }
  // Told before the value is asked for, so nobody types a secret for a name that cannot be used.
  const named = SecretNameSchema.safeParse(name);
  if (!named.success) {
    throw usageFailure(
      `The secret name "${name}" ${named.error.issues[0]?.message ?? 'cannot be used'}.`,
      'Choose a name such as wifi-password or api_token: it becomes the key in the secrets file and in sops.secrets.',
    );
  }
  return { name, target: host === undefined ? { common: true } : { host } };
}

async function remove(ctx: VerbContext, given: string | undefined): Promise<number> {
  const { name, target } = secretTarget(ctx, 'remove', given);
  const result = await call(ctx, openApi(ctx), 'secrets.remove', {
    repo: requiredFlag(ctx, 'repo'),
    name,
    ...target,
  });
  print(ctx, result, () => formatRemoveSecret(result));
  return 0;
}

async function set(ctx: VerbContext, given: string | undefined): Promise<number> {
  const { name, target } = secretTarget(ctx, 'set', given);
  const value = await readSecretValue(name);
  const result = await call(ctx, openApi(ctx), 'secrets.set', {
    repo: requiredFlag(ctx, 'repo'),
    name,
    value,
    ...target,
  });
  print(ctx, result, () => formatSetSecret(result));
  return 0;
}

/** `secrets list|recipients|rotate|set NAME`: one engine call each; values never printed. */
export async function run(ctx: VerbContext): Promise<number> {
  const [action, name, ...extra] = ctx.words;
  const repo = requiredFlag(ctx, 'repo');
  if (action === 'set') return set(ctx, name);
  if (action === 'remove') return remove(ctx, name);
  if (name !== undefined || extra.length > 0 || ctx.flags.host || ctx.flags.common) {
    throw usageFailure(
      `\`nixstrap secrets ${action}\` takes only --repo (and --json).`,
      `Usage: ${ctx.spec.usage}`,
    );
  }
  switch (action) {
    case 'list':
    case 'recipients': {
      const report = await call(ctx, openApi(ctx), 'secrets.list', { repo });
      print(ctx, report, () =>
        action === 'list' ? formatSecretsList(report) : formatRecipients(report),
      );
      return 0;
    }
    case 'rotate': {
      const result = await call(ctx, openApi(ctx), 'secrets.rotate', { repo });
      print(ctx, result, () => formatRotate(result));
      return 0;
    }
    default:
      throw usageFailure(
        action === undefined
          ? '`nixstrap secrets` needs one of list, recipients, set, remove or rotate.'
          : `\`nixstrap secrets\` has no "${action}"; it knows list, recipients, set, remove and rotate.`,
        `Usage: ${ctx.spec.usage}`,
      );
  }
}
