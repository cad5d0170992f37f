import { SecretNameSchema } from '../../../common/secrets';
import { print, requiredFlag, stringFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';
import {
  formatRecipients,
  formatRotate,
  formatSecretsList,
  formatSetSecret,
} from '../format-secrets';
import { readSecretValue } from '../secret-input';

async function set(ctx: VerbContext, name: string | undefined): Promise<number> {
  const host = stringFlag(ctx, 'host');
  const common = Boolean(ctx.flags.common);
  if (name === undefined || (host === undefined) === !common) {
    throw usageFailure(
      "`nixstrap secrets set` needs the secret's name and exactly one of --host NAME and --common.",
      'Usage: printf %s "$VALUE" | nixstrap secrets set NAME --host NAME --repo DIR',
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
  const value = await readSecretValue(name);
  const result = await call(ctx, openApi(ctx), 'secrets.set', {
    repo: requiredFlag(ctx, 'repo'),
    name,
    value,
    ...(host === undefined ? { common: true } : { host }),
  });
  print(ctx, result, () => formatSetSecret(result));
  return 0;
}

/** `secrets list|recipients|rotate|set NAME`: one engine call each; values never printed. */
export async function run(ctx: VerbContext): Promise<number> {
  const [action, name, ...extra] = ctx.words;
  const repo = requiredFlag(ctx, 'repo');
  if (action === 'set') return set(ctx, name);
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
          ? '`nixstrap secrets` needs one of list, recipients, set or rotate.'
          : `\`nixstrap secrets\` has no "${action}"; it knows list, recipients, set and rotate.`,
        `Usage: ${ctx.spec.usage}`,
      );
  }
}
