import { NixstrapFailure } from '../../../../common/result';
import { type Binding, literalAttrSetValue, type Syntax, sliceTokens } from '../../nix/syntax';
import { applyEdits, type Edit, parseFlake, unreadableFlake } from './edit';
import { afterBinding, type FlakeSyntax, indent, indentAt } from './source';

/** Appends input definitions (text relative to an inputs block) to the flake's inputs. */
export function addInputs(source: string, definitions: Map<string, string>): string {
  if (definitions.size === 0) return source;
  const { syn, root } = parseFlake(source);
  const inputBindings = root.bindings.filter((b) => b.path[0] === 'inputs');
  const block = inputBindings.find((b) => b.path.length === 1);
  const blockSet = block ? literalAttrSetValue(syn, block) : null;
  if (block && blockSet === null) {
    // `inputs = { … } // { … }` or a function call: a binding added next to it would
    // define `inputs` twice, which Nix refuses.
    const snippet = sliceTokens(syn, block.valueStart, block.semicolon - 1).replace(/\s+/g, ' ');
    throw new NixstrapFailure(
      'REPO_LAYOUT_UNKNOWN',
      `flake.nix computes its inputs (\`${snippet.slice(0, 60)}\`), so Nixstrap cannot add inputs to it safely.`,
      `Add the inputs ${[...definitions.keys()].join(', ')} to flake.nix by hand.`,
    );
  }
  if (block && blockSet !== null) {
    const last = blockSet.bindings.at(-1);
    const outer = indentAt(source, syn.tokens[block.first]!.start);
    const pad = last ? indentAt(source, syn.tokens[last.first]!.start) : `${outer}  `;
    const text = [...definitions.values()].map((d) => indent(d, pad)).join('\n');
    const at = last ? afterBinding(syn, last) : syn.tokens[blockSet.open]!.end;
    return applyEdits(source, [
      { start: at, end: at, text: `\n${text}${last ? '' : `\n${outer}`}` },
    ]);
  }
  const last = inputBindings.at(-1) ?? root.bindings.find((b) => b.path[0] === 'description');
  const pad = last ? indentAt(source, syn.tokens[last.first]!.start) : '  ';
  const prefixed = [...definitions.values()].map((d) =>
    d
      .split('\n')
      .map((line) => (/^[a-zA-Z_"]/.test(line) ? `inputs.${line}` : line))
      .join('\n'),
  );
  const text = prefixed.map((d) => indent(d, pad)).join('\n');
  const at = last ? afterBinding(syn, last) : syn.tokens[root.open]!.end;
  return applyEdits(source, [{ start: at, end: at, text: `\n${text}` }]);
}

export type OutputsShape = {
  binding: Binding;
  /** Name `outputs` binds all inputs to, if any. */
  inputsName: string | null;
  formals: { open: number; close: number } | null;
  /** First token of the function's body. */
  body: number;
};

function isSym(syn: Syntax, i: number, text: string): boolean {
  const t = syn.tokens[i];
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

export function readOutputs(flake: FlakeSyntax): OutputsShape | null {
  const { syn } = flake;
  const binding = flake.root.bindings.find((b) => b.path.length === 1 && b.path[0] === 'outputs');
  if (!binding) return null;
  const i = binding.valueStart;
  const t = syn.tokens[i];
  if (t?.kind === 'identifier' && isSym(syn, i + 1, ':')) {
    return { binding, inputsName: t.text, formals: null, body: i + 2 };
  }
  if (t?.kind === 'identifier' && isSym(syn, i + 1, '@') && isSym(syn, i + 2, '{')) {
    const close = syn.partner.get(i + 2)!;
    return { binding, inputsName: t.text, formals: { open: i + 2, close }, body: close + 2 };
  }
  if (isSym(syn, i, '{')) {
    const close = syn.partner.get(i)!;
    if (isSym(syn, close + 1, '@') && syn.tokens[close + 2]?.kind === 'identifier') {
      return {
        binding,
        inputsName: syn.tokens[close + 2]!.text,
        formals: { open: i, close },
        body: close + 4,
      };
    }
    if (isSym(syn, close + 1, ':')) {
      return { binding, inputsName: null, formals: { open: i, close }, body: close + 2 };
    }
  }
  return null;
}

/**
 * Makes `outputs` accept inputs it does not name (`...`) and bind them all to a name, so a
 * new host can receive them as `specialArgs`. Returns the edited source and that name.
 */
export function bindInputsInOutputs(source: string): { source: string; inputsName: string } {
  const flake = parseFlake(source);
  const outputs = readOutputs(flake);
  if (!outputs) throw unreadableFlake('flake.nix has no `outputs` function Nixstrap can read.');
  const { syn } = flake;
  const edits: Edit[] = [];
  if (outputs.formals) {
    const { open, close } = outputs.formals;
    const hasEllipsis = syn.tokens.slice(open, close).some((t) => t.text === '...');
    if (!hasEllipsis) {
      const before = syn.tokens[close - 1]!;
      const text = before.text === ',' || before.text === '{' ? ' ...' : ', ...';
      edits.push({ start: before.end, end: before.end, text });
    }
    if (outputs.inputsName === null) {
      const end = syn.tokens[close]!.end;
      edits.push({ start: end, end, text: '@inputs' });
    }
  }
  return { source: applyEdits(source, edits), inputsName: outputs.inputsName ?? 'inputs' };
}
