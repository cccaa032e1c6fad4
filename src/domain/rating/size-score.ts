import type { HubModelFacts, RepoFile } from './model-evidence.js';
import { DEVICES, NOT_APPLICABLE, type Device, type MetricValue, type SizeOutcome } from './rating.js';
import { bytes, fmt } from './format.js';
import { WEIGHT_FILE } from './reproducibility.js';

const GB = 1e9;

/**
 * Memory each device can give a model's weights: full marks up to `full`, falling linearly to 0 at
 * `zero`. Reasoning in docs/metrics.md: a Raspberry Pi 5 has up to 8 GB RAM; a Jetson Nano 4 GB
 * (Orin Nano 8 GB) shared with its GPU; a desktop a 8-24 GB GPU and up to 64 GB RAM; an AWS GPU
 * server 80 GB per GPU and 640 GB on an 8-GPU instance.
 */
export const DEVICE_BUDGETS: Readonly<Record<Device, { readonly full: number; readonly zero: number }>> = {
  raspberryPi: { full: 1 * GB, zero: 8 * GB },
  jetsonNano: { full: 2 * GB, zero: 8 * GB },
  desktopPc: { full: 8 * GB, zero: 64 * GB },
  awsServer: { full: 80 * GB, zero: 640 * GB },
};

/** Bytes per parameter of each safetensors dtype. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, I64: 8, U64: 8,
  F32: 4, I32: 4, U32: 4,
  F16: 2, BF16: 2, I16: 2, U16: 2,
  F8_E4M3: 1, F8_E5M2: 1, I8: 1, U8: 1, BOOL: 1,
  F4: 0.5, I4: 0.5, U4: 0.5,
};

/** Weight formats in the order a runtime would pick one copy of the weights. */
const FORMATS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'safetensors', pattern: /\.safetensors$/i },
  { name: 'PyTorch', pattern: /\.(bin|pt|pth)$/i },
  { name: 'GGUF', pattern: /\.gguf$/i },
  { name: 'ONNX', pattern: /\.onnx(_data)?$/i },
  { name: 'TensorFlow', pattern: /\.h5$/i },
  { name: 'Flax', pattern: /\.msgpack$/i },
];
/** Alternative copies of the same weights (half precision, EMA/non-EMA, quantized) shipped beside the default. */
const VARIANT = /[._-](fp16|bf16|fp32|int8|int4|ema|non_ema|q\d\w*)[._-]/i;

export interface WeightSize {
  readonly bytes: number;
  readonly source: string;
}

/**
 * Bytes of one copy of the weights: file sizes when the Hub gave them (one format, default precision),
 * else safetensors parameter counts x dtype width, else unknown. Never the repository's total storage,
 * which counts every format and revision.
 */
export function weightSize(hub: HubModelFacts): WeightSize | undefined {
  const sized = hub.files.filter((file): file is Required<RepoFile> => file.sizeBytes !== undefined && WEIGHT_FILE.test(file.path) && !/training_args\.bin$/.test(file.path));
  for (const format of FORMATS) {
    const files = sized.filter((file) => format.pattern.test(file.path));
    if (files.length === 0) continue;
    const defaults = files.filter((file) => !VARIANT.test(file.path.replace(/^.*\//, '.')));
    const chosen = defaults.length > 0 ? defaults : files;
    return { bytes: chosen.reduce((sum, file) => sum + file.sizeBytes, 0), source: `${chosen.length} ${format.name} file(s) as listed by the Hub` };
  }
  const params = hub.safetensorsParameters;
  if (params && Object.keys(params).length > 0) {
    let total = 0;
    const parts: string[] = [];
    for (const [dtype, count] of Object.entries(params)) {
      const width = DTYPE_BYTES[dtype.toUpperCase()] ?? 4;
      total += count * width;
      parts.push(`${count.toLocaleString('en-US')} ${dtype} x ${width} B`);
    }
    return { bytes: total, source: `safetensors parameters (${parts.join(' + ')})` };
  }
  return undefined;
}

/** Linear between the device's full-marks and zero budgets. */
export function deviceScore(size: number, device: Device): number {
  const { full, zero } = DEVICE_BUDGETS[device];
  return Math.min(1, Math.max(0, (zero - size) / (zero - full)));
}

/** How well the weights fit each target device (requirements §2). */
export function sizeScore(hub: HubModelFacts): SizeOutcome {
  const size = weightSize(hub);
  if (!size) {
    const scores = Object.fromEntries(DEVICES.map((d) => [d, NOT_APPLICABLE])) as Record<Device, MetricValue>;
    return {
      scores,
      explanation:
        'Not applicable: the weight size is unknown. The Hub listed no file sizes and no safetensors parameter counts' +
        (hub.usedStorageBytes ? ` (the repository stores ${bytes(hub.usedStorageBytes)} across all formats and revisions, which overstates one copy of the weights)` : '') +
        '.',
    };
  }
  const scores = Object.fromEntries(DEVICES.map((d) => [d, deviceScore(size.bytes, d)])) as Record<Device, number>;
  const perDevice = DEVICES.map((d) => `${d} ${fmt(scores[d], 3)} (full to ${bytes(DEVICE_BUDGETS[d].full)}, 0 from ${bytes(DEVICE_BUDGETS[d].zero)})`);
  return { scores, explanation: `Weights ${bytes(size.bytes)} from ${size.source}. ${perDevice.join('; ')}.` };
}
