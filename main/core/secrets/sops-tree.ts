import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { NixstrapFailure } from '../../../common/failure';

/**
 * The values of a SOPS YAML document in the order sops walks them (mapping order, sequence
 * items under their parent's path), and the comments, which sops encrypts too. Only `sops`
 * at the top is left out: it is the metadata.
 */
export interface SopsLeaf {
  path: string[];
  node: Scalar;
  encrypted: boolean;
}

/** Where a comment lives in the yaml document, and the path sops gives it (its container's). */
export interface SopsCommentSlot {
  path: string[];
  holder: { commentBefore?: string | null; comment?: string | null };
  field: 'commentBefore' | 'comment';
}

/** Which values stay in plaintext: sops's suffix and regex settings, read from the metadata. */
export interface EncryptionRules {
  unencryptedSuffix: string | null;
  encryptedSuffix: string | null;
  unencryptedRegex: RegExp | null;
  encryptedRegex: RegExp | null;
}

export function shouldEncrypt(path: readonly string[], rules: EncryptionRules): boolean {
  let encrypted = true;
  const { unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex } = rules;
  if (unencryptedSuffix && path.some((key) => key.endsWith(unencryptedSuffix))) encrypted = false;
  if (encryptedSuffix) encrypted = path.some((key) => key.endsWith(encryptedSuffix));
  if (unencryptedRegex && path.some((key) => unencryptedRegex.test(key))) encrypted = false;
  if (encryptedRegex) encrypted = path.some((key) => encryptedRegex.test(key));
  return encrypted;
}

function unsupported(file: string, what: string): NixstrapFailure {
  return new NixstrapFailure(
    'SECRETS_FILE_CORRUPT',
    `${file} ${what}, which a file written by sops never does.`,
    `Open it with \`sops ${file}\` and save it, or restore it from git.`,
  );
}

export function sopsLeaves(
  doc: Document,
  rules: EncryptionRules,
  file: string,
): { leaves: SopsLeaf[]; comments: SopsCommentSlot[] } {
  const leaves: SopsLeaf[] = [];
  const comments: SopsCommentSlot[] = [];
  const noteComments = (holder: SopsCommentSlot['holder'], path: string[]) => {
    if (holder.commentBefore) comments.push({ path, holder, field: 'commentBefore' });
    if (holder.comment) comments.push({ path, holder, field: 'comment' });
  };
  const visitValue = (node: Node | null, path: string[], container: string[]) => {
    if (node === null || node === undefined) return;
    if (isAlias(node)) throw unsupported(file, 'uses YAML aliases');
    if (isScalar(node)) {
      noteComments(node, container);
      if (node.value !== null && node.value !== undefined) {
        leaves.push({ path, node, encrypted: shouldEncrypt(path, rules) });
      }
      return;
    }
    noteComments(node, path);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key)) throw unsupported(file, 'has a key that is not a plain string');
        noteComments(key, path);
        const name = String(key.value);
        if (path.length === 0 && name === 'sops') continue;
        visitValue(pair.value as Node | null, [...path, name], path);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visitValue(item as Node | null, path, path);
    }
  };
  noteComments(doc, []);
  const root = doc.contents as Node | null;
  if (root !== null && !isMap(root)) throw unsupported(file, 'is not a mapping at the top');
  visitValue(root, [], []);
  return { leaves, comments };
}
