import { WebglAddon } from '@xterm/addon-webgl';
import type { Terminal } from '@xterm/xterm';

/** WebGL can lose its context (a GPU reset, too many contexts); after this many, DOM it is. */
const WEBGL_ATTEMPTS = 3;

/**
 * True when WebGL 2 runs on a GPU. A software rasteriser (SwiftShader, llvmpipe: no GPU, or a
 * browser started without one) draws xterm's WebGL renderer several times slower than the DOM.
 */
function hardwareWebgl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return false;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return !/swiftshader|llvmpipe|softpipe|software/i.test(name);
}

/** Draws with WebGL on a GPU, with the DOM renderer otherwise; reports which one it is. */
export function loadRenderer(term: Terminal, report: (renderer: 'webgl' | 'dom') => void): void {
  if (!hardwareWebgl()) {
    report('dom');
    return;
  }
  let attempts = 0;
  const attempt = () => {
    attempts += 1;
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        if (attempts < WEBGL_ATTEMPTS) attempt();
        else report('dom');
      });
      term.loadAddon(webgl);
      report('webgl');
    } catch {
      report('dom');
    }
  };
  attempt();
}
