import { type Facts, FactsSchema } from '../../../common/facts';
import { NixstrapFailure } from '../../../common/result';
import { detectBoot } from './detectors/boot';
import { createContext, type DetectContext, type FactsDraft } from './detectors/context';
import { detectCpu } from './detectors/cpu';
import { detectFileSystems } from './detectors/filesystems';
import { detectGpus } from './detectors/gpu';
import { detectHostId } from './detectors/host-id';
import { detectIdentity } from './detectors/identity';
import { detectKernelModules } from './detectors/kernel-modules';
import { detectLaptop } from './detectors/laptop';
import { detectLocale } from './detectors/locale';
import { detectMachineKind } from './detectors/machine-kind';
import { detectMemory } from './detectors/memory';
import { detectNix } from './detectors/nix';
import { detectOs } from './detectors/os';
import { detectSshHostKey } from './detectors/ssh-host-key';
import { detectSystem } from './detectors/system';
import { detectVirtualisation } from './detectors/virtualisation';
import { scrubGarbledText } from './fact-text';
import type { Probe } from './probe';

interface Detector {
  name: string;
  run(ctx: DetectContext, facts: FactsDraft): void;
}

/** In dependency order: each may read what the ones before it set. */
const DETECTORS: readonly Detector[] = [
  { name: 'system', run: detectSystem },
  { name: 'virtualisation', run: detectVirtualisation },
  { name: 'kind', run: detectMachineKind },
  { name: 'cpu', run: detectCpu },
  { name: 'memory', run: detectMemory },
  { name: 'kernel-modules', run: detectKernelModules },
  { name: 'filesystems', run: detectFileSystems },
  { name: 'host-id', run: detectHostId },
  { name: 'boot', run: detectBoot },
  { name: 'gpu', run: detectGpus },
  { name: 'laptop', run: detectLaptop },
  { name: 'nix', run: detectNix },
  { name: 'os', run: detectOs },
  { name: 'identity', run: detectIdentity },
  { name: 'ssh-host-key', run: detectSshHostKey },
  { name: 'locale', run: detectLocale },
];

export interface DetectorTiming {
  detector: string;
  ms: number;
}

function emptyFacts(warnings: string[]): FactsDraft {
  return {
    system: 'x86_64-linux',
    kind: 'bare-metal',
    virtualisation: 'none',
    vmVendor: null,
    model: 'unknown',
    cpu: { vendor: 'unknown', model: 'unknown', cores: 0, virtualisationExtensions: null },
    memoryBytes: 0,
    boot: { firmware: 'bios', loader: 'grub', canTouchEfiVariables: false },
    kernelModules: { initrdAvailable: [], initrd: [], kernel: [] },
    hardwareImports: [],
    hardwareSettings: [],
    fileSystems: {},
    swapDevices: [],
    luksDevices: {},
    networkInterfaces: [],
    gpus: [],
    isLaptop: false,
    bluetooth: false,
    board: null,
    wsl: null,
    mac: null,
    nix: { installed: false, version: null, daemon: false, determinate: false },
    os: { id: 'unknown', version: null, prettyName: null },
    hostName: '',
    userName: '',
    sshHostKey: null,
    timeZone: null,
    locale: null,
    keyboard: null,
    remoteSession: false,
    warnings,
  };
}

/** Detect the machine behind a probe, timing each detector. Garbled input yields warnings, never a throw. */
export function detectWithTimings(probe: Probe): { facts: Facts; timings: DetectorTiming[] } {
  const warnings: string[] = [];
  const facts = emptyFacts(warnings);
  const ctx = createContext(probe, warnings);
  const timings: DetectorTiming[] = [];
  for (const detector of DETECTORS) {
    const started = performance.now();
    try {
      detector.run(ctx, facts);
    } catch (error) {
      ctx.warn(
        `Nixstrap could not finish the ${detector.name} check (${(error as Error).message}); those facts are defaults, so review them.`,
      );
    }
    timings.push({ detector: detector.name, ms: performance.now() - started });
  }
  const parsed = FactsSchema.safeParse(scrubGarbledText(facts));
  if (!parsed.success) {
    throw new NixstrapFailure(
      'DETECTION_FAILED',
      `Detection produced facts that do not fit the Facts schema: ${parsed.error.issues[0]?.message ?? 'unknown issue'}.`,
      'Please report this with a capture of the machine.',
    );
  }
  return { facts: parsed.data, timings };
}

export function detectFacts(probe: Probe): Facts {
  return detectWithTimings(probe).facts;
}
