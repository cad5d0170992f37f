import type { Facts, Plan } from '../../common';
import { shellWord } from '../../common/shell-word';

/** How detection, which knows neither the repo nor the host, writes the flake address it names. */
const ADDRESS_PLACEHOLDER = '<repo>#<host>';

/**
 * A plan made from facts detected for it, not shown on a first screen (the CLI's way): what
 * detection could not read comes with it, since the files are written from those facts, and
 * the flake address detection left open is this plan's repo and host, as a shell reads them.
 */
export function withDetectionWarnings<P extends Pick<Plan, 'repo' | 'hostName' | 'warnings'>>(
  plan: P,
  facts: Facts,
  supplied: boolean,
): P {
  if (supplied || facts.warnings.length === 0) return plan;
  const address = shellWord(`${plan.repo}#${plan.hostName}`);
  const detected = facts.warnings.map((warning) =>
    warning.replaceAll(ADDRESS_PLACEHOLDER, address),
  );
  return { ...plan, warnings: [...detected, ...plan.warnings] };
}
