import {
  type Document,
  isAlias,
  isScalar,
  isSeq,
  type Node,
  Scalar,
  visit,
  type YAMLSeq,
} from 'yaml';
import { NixstrapFailure } from '../../../common/failure';
import { COMMON_SECRETS_FILE } from '../../../common/secrets';
import {
  type CreationRule,
  creationRules,
  parseSopsConfig,
  recipientNames,
  ruleFor,
} from './sops-rules';

/**
 * Writing `.sops.yaml`: a new one for a new repo, and, for an existing one, the one edit that
 * gives a new host its own secrets file and the shared ones. The edit goes through the yaml
 * Document, so comments, anchors and the order of everything else stay as the owner wrote them.
 * A host never gains a rule that also covers another host's file.
 */
export interface HostGrant {
  hostName: string;
  /** The host's age recipient. */
  recipient: string;
  /** The owner's age recipient: with the host, the readers of the host's own file. */
  owner: string | null;
  /** `hosts/<kind>/<name>/secrets.yaml`, repo-relative. */
  hostFile: string;
  /** The same file of an imaginary other host, to tell a rule for this host from a broad one. */
  otherHostFile: string;
  /** The shared secrets file, when the host should read it. */
  commonFile: string | null;
}

export const COMMON_SECRETS = COMMON_SECRETS_FILE;
const COMMON_RULE = '^secrets/[^/]+\\.yaml$';

/**
 * The comment at the top of a new `.sops.yaml`, naming host files as this repo lays them out:
 * `hosts/<kind>/<name>/` in Nixstrap's layout, the repo's own (`hosts/<name>/`, `machines/…`)
 * when a host joins a repo laid out by hand.
 */
function header(grant: HostGrant): string {
  const folder = grant.hostFile.slice(0, grant.hostFile.lastIndexOf('/'));
  const pattern = /^hosts\/(nixos|darwin)\/[^/]+$/.test(folder)
    ? 'hosts/<kind>/<name>'
    : folder.replace(/[^/]+$/, '<name>');
  return `# Who can read which secrets, for sops and sops-nix: each host reads its own
# ${pattern}/secrets.yaml and the shared files in secrets/; the owner reads all.
# After changing the keys here, run \`sops updatekeys FILE\` on each file they cover.
`;
}

function unclear(message: string, hint: string): NixstrapFailure {
  return new NixstrapFailure('SECRETS_CONFIG_UNCLEAR', message, hint);
}

export function escapeRegExp(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The sequence of `keys:` people anchor recipients in, if the file has one. */
function keyList(doc: Document): YAMLSeq | null {
  const keys = doc.get('keys', true);
  return isSeq(keys) ? keys : null;
}

function anchorFree(doc: Document, wanted: string): string {
  const used = new Set<string>();
  const keys = keyList(doc);
  for (const item of keys?.items ?? []) if (isScalar(item) && item.anchor) used.add(item.anchor);
  let name = wanted;
  for (let n = 2; used.has(name); n += 1) name = `${wanted}_${n}`;
  return name;
}

/** The key list entry for a recipient, added (anchored) when `add` and it is missing. */
function keyEntry(doc: Document, recipient: string, anchor: string, add: boolean): Scalar | null {
  const keys = keyList(doc);
  if (keys === null) return null;
  const found = keys.items.find((item) => isScalar(item) && item.value === recipient);
  if (found) return isScalar(found) && found.anchor ? found : null;
  if (!add) return null;
  const entry = new Scalar(recipient);
  entry.anchor = anchorFree(doc, anchor);
  keys.items.push(entry);
  return entry;
}

/** A list item naming a recipient: an alias where the file names keys that way, else the key. */
function reference(doc: Document, recipient: string, anchor: string, aliases: boolean): Node {
  const entry = keyEntry(doc, recipient, anchor, aliases);
  return aliases && entry ? doc.createAlias(entry) : new Scalar(recipient);
}

function addToRule(doc: Document, rule: CreationRule, grant: HostGrant, file: string): void {
  if (rule.ageRecipients.includes(grant.recipient)) return;
  const hint = `Add the host's key (${grant.recipient}) to the rule for ${file} in .sops.yaml by hand, then try again.`;
  if (rule.keyGroups > 1) {
    throw unclear(
      `The .sops.yaml rule for ${file} splits its keys across ${rule.keyGroups} key groups, so Nixstrap cannot tell which group host ${grant.hostName} belongs in.`,
      hint,
    );
  }
  if (rule.age === null) {
    const kinds = rule.otherKinds.join(' and ');
    throw unclear(
      kinds
        ? `The .sops.yaml rule for ${file} uses only ${kinds} keys, so Nixstrap cannot tell how host ${grant.hostName} should be let in.`
        : `The .sops.yaml rule for ${file} names no keys, so Nixstrap cannot tell who should read it.`,
      hint,
    );
  }
  if ('scalar' in rule.age) {
    const scalar = rule.age.scalar as Scalar;
    scalar.value = `${String(scalar.value)},${grant.recipient}`;
    return;
  }
  const aliases = rule.age.items.some((item) => isAlias(item));
  rule.age.items.push(reference(doc, grant.recipient, `host_${grant.hostName}`, aliases));
}

function mentions(doc: Document, rules: readonly CreationRule[], recipient: string): boolean {
  return (
    recipientNames(doc).has(recipient) ||
    rules.some((r) => r.ageRecipients.includes(recipient)) ||
    (keyList(doc)?.items.some((item) => isScalar(item) && item.value === recipient) ?? false)
  );
}

/** A rule of its own for the host's file, read by the owner and the host. */
function insertHostRule(
  doc: Document,
  rules: CreationRule[],
  grant: HostGrant,
  before: CreationRule | null,
) {
  const owner = grant.owner;
  if (owner === null || !mentions(doc, rules, owner)) {
    throw unclear(
      `${owner === null ? 'Your age key is not on this machine' : `Your age key (${owner}) is not in .sops.yaml`}, so Nixstrap cannot tell who besides host ${grant.hostName} should read ${grant.hostFile}.`,
      `Add a creation rule for ${grant.hostFile} with the keys that should read it (the host's is ${grant.recipient}), then try again.`,
    );
  }
  const aliases = keyList(doc) !== null;
  const rule = doc.createNode({
    path_regex: `^${escapeRegExp(grant.hostFile)}$`,
    key_groups: [
      {
        age: [
          reference(doc, owner, 'owner', aliases),
          reference(doc, grant.recipient, `host_${grant.hostName}`, aliases),
        ],
      },
    ],
  });
  const list = doc.get('creation_rules', true) as YAMLSeq | undefined;
  if (!isSeq(list)) {
    doc.set('creation_rules', doc.createNode([rule]));
    return;
  }
  const at = before ? list.items.indexOf(before.node) : list.items.length;
  list.items.splice(at < 0 ? list.items.length : at, 0, rule);
}

/** The indentation a file already uses, so an edit does not re-indent the lines it keeps. */
function styleOf(text: string): { indent: number; indentSeq: boolean } {
  const indent = /^( +)\S/m.exec(text)?.[1]?.length ?? 2;
  const indentSeq = !/^[\w-]+:[^\S\n]*\n-/m.test(text);
  return { indent: Math.min(Math.max(indent, 2), 8), indentSeq };
}

/**
 * `.sops.yaml` with the host let in: its own file through a rule for it alone (an existing one,
 * or a new one before any broad rule that would otherwise match), and the shared file through
 * the rule that covers it, unless that rule also covers other hosts' files.
 */
export function grantHost(text: string, grant: HostGrant): { text: string; warnings: string[] } {
  const doc = parseSopsConfig(text);
  const before = doc.toString();
  const warnings: string[] = [];
  let rules = creationRules(doc);
  const hostRule = ruleFor(rules, grant.hostFile);
  if (hostRule && !hostRule.matches(grant.otherHostFile)) {
    addToRule(doc, hostRule, grant, grant.hostFile);
  } else {
    const common = grant.commonFile ? ruleFor(rules, grant.commonFile) : null;
    insertHostRule(doc, rules, grant, hostRule ?? common);
  }
  if (grant.commonFile) {
    rules = creationRules(doc);
    const commonRule = ruleFor(rules, grant.commonFile);
    if (commonRule === null) {
      warnings.push(
        `.sops.yaml has no rule for ${grant.commonFile}, so host ${grant.hostName} was not given the shared secrets.`,
      );
    } else if (commonRule.matches(grant.otherHostFile)) {
      warnings.push(
        `The .sops.yaml rule for ${grant.commonFile} also covers other hosts' own secrets, so host ${grant.hostName} was not added to it; add its key there by hand if it should read them.`,
      );
    } else {
      addToRule(doc, commonRule, grant, grant.commonFile);
    }
  }
  // Nothing to add: the file stays byte for byte as it is.
  if (doc.toString() === before) return { text, warnings };
  return { text: doc.toString({ ...styleOf(text), lineWidth: 0 }), warnings };
}

/** The recipient a rule's list item names: the key itself, or the key its alias points at. */
function itemRecipient(doc: Document, item: unknown): string | null {
  const node = isAlias(item) ? item.resolve(doc) : item;
  return isScalar(node) && typeof node.value === 'string' ? node.value : null;
}

/**
 * `.sops.yaml` without these recipients (a host's replaced keys): out of every creation rule,
 * and out of the key list unless something else still refers to their anchor. Comments and
 * everything else stay as the owner wrote them.
 */
export function retireRecipients(text: string, retired: readonly string[]): string {
  const doc = parseSopsConfig(text);
  const before = doc.toString();
  const isRetired = (item: unknown) => {
    const recipient = itemRecipient(doc, item);
    return recipient !== null && retired.includes(recipient);
  };
  for (const rule of creationRules(doc)) {
    if (rule.age === null) continue;
    if ('scalar' in rule.age) {
      const scalar = rule.age.scalar as Scalar;
      scalar.value = String(scalar.value)
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '' && !retired.includes(part))
        .join(',');
    } else {
      rule.age.items = rule.age.items.filter((item) => !isRetired(item));
    }
  }
  const keys = keyList(doc);
  if (keys !== null) {
    const referred = new Set<string>();
    visit(doc, {
      Alias(_, alias) {
        referred.add(alias.source);
      },
    });
    keys.items = keys.items.filter(
      (item) => !isRetired(item) || (isScalar(item) && !!item.anchor && referred.has(item.anchor)),
    );
  }
  if (doc.toString() === before) return text;
  return doc.toString({ ...styleOf(text), lineWidth: 0 });
}

/** `.sops.yaml` for a new repo: the owner reads everything, each host its own file and secrets/. */
export function renderSopsConfig(grant: HostGrant & { owner: string }): string {
  const base = `${header(grant)}keys:
  - &owner ${grant.owner}
creation_rules:
  - path_regex: ${COMMON_RULE}
    key_groups:
      - age:
          - *owner
`;
  return grantHost(base, grant).text;
}
