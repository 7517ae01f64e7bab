/**
 * `addCounts{8,16}(dst, src, n)`: dst += src over n bytes (n a multiple of 16) of u8 or u16
 * counts, sixteen bytes a turn (i8x16.add / i16x8.add, wrapping, as the counts never sum past
 * their range). The parallel shards add the counts other threads handed over into their own
 * count slots with it (./shard.ts `takeHandover`): ~10× the JS word loop's speed.
 */
import { wasmKernelsEnabled } from '../wasm-kernels.ts';
import { api, assemble, type FuncDef, type WasmMemory } from '../../core/wasm.ts';
import { BLOCK, BR, BR_IF, END, GET, I32, I32_ADD, I32_CONST, I32_EQZ, LOOP, SET, V128_LOAD, V128_STORE, VOID, simd } from '../../core/wasm.ts';

/** dst += src over n bytes at byte addresses dst, src (n a multiple of 16). */
export type AddCountsKernel = (dst: number, src: number, n: number) => void;

function addDef(bytes: 1 | 2): FuncDef {
  const [dst, src, n] = [0, 1, 2];
  // i32.const −16 (signed LEB128).
  const minus16 = [I32_CONST, 0x70];
  return {
    exportName: `addCounts${8 * bytes}`,
    params: [I32, I32, I32],
    results: [],
    locals: [],
    body: [
      BLOCK,
      VOID,
      LOOP,
      VOID,
      GET,
      n,
      I32_EQZ,
      BR_IF,
      1,
      GET,
      dst,
      GET,
      dst,
      ...V128_LOAD,
      GET,
      src,
      ...V128_LOAD,
      ...(bytes === 1 ? simd(0x6e) : simd(0x8e)),
      ...V128_STORE,
      GET,
      dst,
      I32_CONST,
      16,
      I32_ADD,
      SET,
      dst,
      GET,
      src,
      I32_CONST,
      16,
      I32_ADD,
      SET,
      src,
      GET,
      n,
      ...minus16,
      I32_ADD,
      SET,
      n,
      BR,
      0,
      END,
      END,
    ],
  };
}

let compiled: object | null | undefined;

/** The two kernels over `memory`, or null without WebAssembly (SIMD) or with the kernels switched off. */
export function addCountsKernels(memory: WasmMemory): readonly [AddCountsKernel, AddCountsKernel] | null {
  if (!api || !wasmKernelsEnabled()) return null;
  try {
    compiled ??= new api.Module(assemble([addDef(1), addDef(2)]));
    const x = new api.Instance(compiled, { env: { mem: memory } }).exports;
    return [x.addCounts8 as AddCountsKernel, x.addCounts16 as AddCountsKernel];
  } catch {
    compiled = null;
    return null;
  }
}
