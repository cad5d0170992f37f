/**
 * What makes two authorized_keys lines the same key: its type and its base64 blob. The
 * comment after them (`alice@laptop`) is a label, so the same key pasted with another
 * comment is still one key.
 */
export function sshKeyIdentity(line: string): string {
  const [type = '', blob = ''] = line.trim().split(/\s+/);
  return `${type} ${blob}`;
}

/** The keys with every repeat of an earlier key left out, in their first order. */
export function uniqueSshKeys(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.filter((key) => {
    const identity = sshKeyIdentity(key);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
