import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { NixstrapFailure } from '../../../common/failure';
import { goRegExp } from './sops-metadata';

/**
 * Reading `.sops.yaml` the way sops does: the first creation rule whose `path_regex` matches a
 * file's path (relative to the repo) says who can read it. Only what Nixstrap needs: the rules,
 * their age recipients, and the names people gave keys with YAML anchors.
 */
export const SOPS_CONFIG = '.sops.yaml';

const OTHER_KINDS = ['pgp', 'kms', 'gcp_kms', 'hckms', 'azure_keyvault', 'hc_vault_transit_uri'];
const GROUP_OTHER_KINDS = ['pgp', 'kms', 'gcp_kms', 'hckms', 'azure_keyvault', 'hc_vault'];

export interface CreationRule {
  node: YAMLMap;
  pathRegex: string | null;
  /** Where its age recipients live: a list to append to, a comma-separated string, or nowhere. */
  age: YAMLSeq | { scalar: Node } | null;
  ageRecipients: string[];
  /** Kinds of non-age keys the rule names (`pgp`, `kms`, …). */
  otherKinds: string[];
  keyGroups: number;
  matches(path: string): boolean;
}

function invalid(message: string): NixstrapFailure {
  return new NixstrapFailure(
    'SECRETS_CONFIG_INVALID',
    message,
    'Fix .sops.yaml by hand (sops reads the same file), then try again.',
  );
}

export function parseSopsConfig(text: string): Document {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    throw invalid(
      `.sops.yaml is not valid YAML (${line ? `line ${line}: ` : ''}${error.message.split('\n')[0]}).`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw invalid('.sops.yaml is not a mapping.');
  return doc;
}

function resolved(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function text(doc: Document, node: unknown): string | null {
  const value = resolved(doc, node);
  return isScalar(value) && typeof value.value === 'string' ? value.value : null;
}

function listOf(doc: Document, node: unknown): string[] {
  const value = resolved(doc, node);
  if (isSeq(value)) return value.items.map((item) => text(doc, item)).filter((s) => s !== null);
  const single = text(doc, value);
  return single === null
    ? []
    : single
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
}

function readRule(doc: Document, node: YAMLMap, index: number): CreationRule {
  const pathRegex = node.has('path_regex') ? text(doc, node.get('path_regex', true)) : null;
  let regex: RegExp | null = null;
  if (pathRegex !== null) {
    try {
      regex = goRegExp(pathRegex);
    } catch {
      throw invalid(
        `Creation rule ${index + 1} of .sops.yaml has a path_regex Nixstrap cannot read (${pathRegex}).`,
      );
    }
  }
  const groups = node.get('key_groups', true);
  const groupList = isSeq(groups) ? groups.items.filter(isMap) : [];
  const holder = groupList.length > 0 ? (groupList[0] as YAMLMap) : node;
  const kinds = groupList.length > 0 ? GROUP_OTHER_KINDS : OTHER_KINDS;
  const ageNode = holder.get('age', true) as Node | undefined;
  const age = isSeq(ageNode)
    ? ageNode
    : ageNode !== undefined && isScalar(ageNode)
      ? { scalar: ageNode }
      : null;
  return {
    node,
    pathRegex,
    age,
    ageRecipients: listOf(doc, ageNode),
    otherKinds: kinds.filter((kind) => listOf(doc, holder.get(kind, true)).length > 0),
    keyGroups: groupList.length,
    matches: (path) => regex === null || regex.test(path),
  };
}

/** The creation rules, in order; a `.sops.yaml` without any has none. */
export function creationRules(doc: Document): CreationRule[] {
  const rules = doc.get('creation_rules', true);
  if (rules === undefined || rules === null) return [];
  if (!isSeq(rules)) throw invalid('creation_rules in .sops.yaml is not a list.');
  return rules.items.map((rule, index) => {
    if (!isMap(rule)) throw invalid(`Creation rule ${index + 1} of .sops.yaml is not a mapping.`);
    return readRule(doc, rule, index);
  });
}

/** The rule sops applies to a file (repo-relative path), or null when none matches. */
export function ruleFor(rules: readonly CreationRule[], path: string): CreationRule | null {
  return rules.find((rule) => rule.matches(path)) ?? null;
}

/** Names people gave recipients with anchors (`- &host_atlas age1…`), by recipient. */
export function recipientNames(doc: Document): Map<string, string> {
  const names = new Map<string, string>();
  const keys = doc.get('keys', true);
  if (!isSeq(keys)) return names;
  for (const item of keys.items) {
    if (isScalar(item) && typeof item.value === 'string' && item.anchor) {
      names.set(item.value, item.anchor);
    }
  }
  return names;
}
