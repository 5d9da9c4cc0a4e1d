/**
 * One WebGPU runtime for the browser (`navigator.gpu`) and Node (the `webgpu` package).
 *
 * It owns the adapter and device, requests the limits the solvers need explicitly, recreates the
 * device when it is lost, compiles shaders with readable diagnostics, caches pipelines by shader and
 * entry point, and counts submits, dispatches and readbacks so benchmarks can report them.
 */
import { GpuLimitError, ShaderCompileError, WebGpuUnavailableError } from './errors';
import { expandShader, type ShaderSources } from './shaderLibrary';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  /** True for software adapters (SwiftShader, llvmpipe): timings are emulated, not GPU figures. */
  emulated: boolean;
}

export interface GpuCounters {
  submits: number;
  dispatches: number;
  readbacks: number;
}

export interface RuntimeOptions {
  gpu: GPU | undefined;
  sources: ShaderSources;
  /** Where the runtime lives, used in error messages ("this browser", "Node"). */
  platform: string;
}

/** Records a dispatch of x × y workgroups in the pass of `GpuRuntime.submit`. */
export type Dispatch = (
  pipeline: GPUComputePipeline,
  group: GPUBindGroup,
  x: number,
  y?: number,
) => void;

/** Records a dispatch whose workgroup counts (x, y, z) a kernel wrote into `buffer` at `offset`. */
export type DispatchIndirect = (
  pipeline: GPUComputePipeline,
  group: GPUBindGroup,
  buffer: GPUBuffer,
  offset: number,
) => void;

/** Workgroup size every kernel in `shaders/` is written for (also the reduction width). */
export const WORKGROUP_SIZE = 64;

const ONE_GIB = 1024 ** 3;

type DeviceListener = (generation: number) => void;

export class GpuRuntime {
  private adapterInfo!: AdapterSummary;
  private currentDevice!: GPUDevice;
  private modules = new Map<string, GPUShaderModule>();
  private pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private listeners = new Set<DeviceListener>();
  private disposed = false;
  private restoring: Promise<void> | undefined;
  /** Incremented each time the device is (re)created; GPU resources of older generations are dead. */
  generation = 0;
  readonly counters: GpuCounters = { submits: 0, dispatches: 0, readbacks: 0 };
  /** The last device loss, for the status line. */
  lastLoss: string | undefined;

  private constructor(private readonly options: RuntimeOptions) {}

  static async create(options: RuntimeOptions): Promise<GpuRuntime> {
    const runtime = new GpuRuntime(options);
    await runtime.acquire();
    return runtime;
  }

  get device(): GPUDevice {
    return this.currentDevice;
  }

  get adapter(): AdapterSummary {
    return this.adapterInfo;
  }

  get limits(): GPUSupportedLimits {
    return this.currentDevice.limits;
  }

  private async acquire(): Promise<void> {
    const { gpu, platform } = this.options;
    if (!gpu) {
      throw new WebGpuUnavailableError(
        `WebGPU is not available in ${platform}: navigator.gpu is missing. ` +
          'Use a recent Chrome/Edge (or Firefox/Safari with WebGPU enabled) over https or localhost.',
      );
    }
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      throw new WebGpuUnavailableError(
        `WebGPU is not available in ${platform}: no GPU adapter was found. ` +
          'The GPU may be blocklisted or disabled; on Linux without a GPU, set ' +
          'VK_ICD_FILENAMES to a software Vulkan driver (see shared/TESTING.md).',
      );
    }
    const { info } = adapter;
    // Older implementations (and the Node package) may not report the flag at all.
    const isFallbackAdapter = (info.isFallbackAdapter as boolean | undefined) === true;
    const software = /swiftshader|llvmpipe|lavapipe|warp|cpu/i.test(
      `${info.vendor} ${info.architecture} ${info.description}`,
    );
    this.adapterInfo = {
      vendor: info.vendor || 'unknown',
      architecture: info.architecture || 'unknown',
      description: info.description || '',
      isFallbackAdapter,
      emulated: isFallbackAdapter || software,
    };

    // Ask for what large problems need, never more than the adapter offers.
    const a = adapter.limits;
    const requiredLimits: Record<string, number> = {
      maxStorageBufferBindingSize: Math.min(a.maxStorageBufferBindingSize, ONE_GIB),
      maxBufferSize: Math.min(a.maxBufferSize, ONE_GIB),
      maxStorageBuffersPerShaderStage: Math.min(a.maxStorageBuffersPerShaderStage, 10),
      maxComputeWorkgroupsPerDimension: a.maxComputeWorkgroupsPerDimension,
      maxComputeInvocationsPerWorkgroup: Math.min(a.maxComputeInvocationsPerWorkgroup, 256),
      maxComputeWorkgroupStorageSize: Math.min(a.maxComputeWorkgroupStorageSize, 16384),
    };
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({ label: 'otlab-device', requiredLimits });
    } catch (error) {
      throw new WebGpuUnavailableError(
        `WebGPU is not available in ${platform}: the adapter refused a device (${String(error)}).`,
      );
    }
    this.currentDevice = device;
    this.modules.clear();
    this.pipelines.clear();
    this.generation += 1;
    void device.lost.then((loss) => this.handleLoss(device, loss));
  }

  private async handleLoss(device: GPUDevice, loss: GPUDeviceLostInfo): Promise<void> {
    if (this.disposed || device !== this.currentDevice) return;
    this.lastLoss = `GPU device lost (${loss.reason}): ${loss.message}`;
    this.restoring = this.acquire();
    await this.restoring;
    this.restoring = undefined;
    for (const listener of this.listeners) listener(this.generation);
  }

  /** Resolves once a device lost earlier has been recreated. */
  async ready(): Promise<void> {
    await this.restoring;
  }

  /** Called with the new generation after a lost device was recreated. Returns an unsubscribe. */
  onDeviceRestored(listener: DeviceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws a GpuLimitError naming the problem size when a binding would exceed the device. */
  checkBindingSize(label: string, bytes: number): void {
    const limit = this.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new GpuLimitError(
        `${label} needs ${(bytes / 2 ** 20).toFixed(1)} MiB but this GPU binds at most ` +
          `${(limit / 2 ** 20).toFixed(1)} MiB per buffer: reduce the problem size or use the CPU backend.`,
      );
    }
  }

  createBuffer(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    if (usage & GPUBufferUsage.STORAGE) this.checkBindingSize(label, size);
    // WebGPU needs sizes that are multiples of 4 and non-zero.
    return this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
  }

  createBufferWith(label: string, data: ArrayBufferView | ArrayBuffer, usage: GPUBufferUsageFlags) {
    const bytes = data instanceof ArrayBuffer ? data : data.buffer;
    const offset = data instanceof ArrayBuffer ? 0 : data.byteOffset;
    const size = data.byteLength;
    const buffer = this.createBuffer(label, size, usage | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(buffer, 0, bytes, offset, size);
    return buffer;
  }

  /** Compiles a shader file from `shaders/`, throwing file:line:column diagnostics on failure. */
  async shaderModule(file: string): Promise<GPUShaderModule> {
    const cached = this.modules.get(file);
    if (cached) return cached;
    const expanded = expandShader(this.options.sources, file);
    const module = this.device.createShaderModule({ label: file, code: expanded.code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) {
      throw new ShaderCompileError(
        file,
        errors.map((m) => {
          const at = expanded.origin[m.lineNum - 1] ?? { file, line: m.lineNum };
          return {
            file: `shaders/${at.file}`,
            line: at.line,
            column: m.linePos,
            message: m.message,
          };
        }),
      );
    }
    this.modules.set(file, module);
    return module;
  }

  /** A compute pipeline, cached by shader file, entry point and override constants. */
  pipeline(
    file: string,
    entryPoint: string,
    constants: Record<string, number> = {},
  ): Promise<GPUComputePipeline> {
    const key = `${file}#${entryPoint}#${JSON.stringify(constants)}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = this.buildPipeline(file, entryPoint, constants);
      pipeline.catch(() => this.pipelines.delete(key));
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  private async buildPipeline(file: string, entryPoint: string, constants: Record<string, number>) {
    const module = await this.shaderModule(file);
    this.device.pushErrorScope('validation');
    const pipeline = await this.device.createComputePipelineAsync({
      label: `${file}:${entryPoint}`,
      layout: 'auto',
      compute: { module, entryPoint, constants },
    });
    const error = await this.device.popErrorScope();
    if (error) throw new Error(`Pipeline ${file}:${entryPoint} is invalid: ${error.message}`);
    return pipeline;
  }

  /**
   * Bind group 0 of a pipeline. `buffers` maps binding numbers to buffers: an array binds 0, 1, …;
   * an object names only the bindings the entry point uses (layout 'auto' drops the others).
   */
  bindGroup(
    label: string,
    pipeline: GPUComputePipeline,
    buffers: readonly GPUBuffer[] | Readonly<Record<number, GPUBuffer>>,
  ) {
    return this.device.createBindGroup({
      label,
      layout: pipeline.getBindGroupLayout(0),
      entries: Object.entries(buffers).map(([binding, buffer]) => ({
        binding: Number(binding),
        resource: { buffer },
      })),
    });
  }

  /**
   * Records one compute pass and submits it; `record` calls `dispatch` (and `dispatchIndirect`,
   * whose workgroup counts a kernel wrote into `buffer` at `offset`) any number of times.
   */
  submit(
    label: string,
    record: (dispatch: Dispatch, dispatchIndirect: DispatchIndirect) => void,
    after?: (encoder: GPUCommandEncoder) => void,
  ): void {
    const encoder = this.device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    const maxGroups = this.limits.maxComputeWorkgroupsPerDimension;
    record(
      (pipeline, group, x, y = 1) => {
        if (x > maxGroups || y > maxGroups) {
          throw new GpuLimitError(
            `${label}: ${Math.max(x, y)} workgroups exceed this GPU's limit of ${maxGroups} per dimension.`,
          );
        }
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(x, y);
        this.counters.dispatches += 1;
      },
      (pipeline, group, buffer, offset) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroupsIndirect(buffer, offset);
        this.counters.dispatches += 1;
      },
    );
    pass.end();
    after?.(encoder);
    this.device.queue.submit([encoder.finish()]);
    this.counters.submits += 1;
  }

  /** Copies `byteLength` bytes of a buffer to the CPU. One readback, one submit. */
  async read(buffer: GPUBuffer, byteLength = buffer.size): Promise<ArrayBuffer> {
    const [bytes] = await this.readBuffers([buffer], [byteLength]);
    return bytes!;
  }

  /** Copies several buffers (whole, or their first `byteLengths[k]` bytes) in one readback. */
  async readBuffers(
    buffers: readonly GPUBuffer[],
    byteLengths?: readonly number[],
  ): Promise<ArrayBuffer[]> {
    const sizes = buffers.map((buffer, k) => byteLengths?.[k] ?? buffer.size);
    const offsets = sizes.map((_, k) => sizes.slice(0, k).reduce((s, size) => s + size, 0));
    const total = sizes.reduce((s, size) => s + size, 0);
    const label = `${buffers.map((b) => b.label).join('+')}-readback`;
    const staging = this.device.createBuffer({
      label,
      size: total,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = this.device.createCommandEncoder({ label });
    buffers.forEach((buffer, k) => {
      encoder.copyBufferToBuffer(buffer, 0, staging, offsets[k]!, sizes[k]);
    });
    this.device.queue.submit([encoder.finish()]);
    this.counters.submits += 1;
    this.counters.readbacks += 1;
    try {
      await staging.mapAsync(GPUMapMode.READ);
      const mapped = staging.getMappedRange();
      return sizes.map((size, k) => mapped.slice(offsets[k], offsets[k]! + size));
    } finally {
      staging.destroy();
    }
  }

  async readFloat32(buffer: GPUBuffer, count: number): Promise<Float32Array> {
    return new Float32Array(await this.read(buffer, count * 4));
  }

  resetCounters(): void {
    this.counters.submits = 0;
    this.counters.dispatches = 0;
    this.counters.readbacks = 0;
  }

  /** Releases the device. Buffers created from it become invalid. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.currentDevice.destroy();
  }
}
