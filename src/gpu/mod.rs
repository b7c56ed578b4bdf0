//! GPU code on wgpu: runs natively (Vulkan, e.g. lavapipe) and in the browser (WebGPU).
//! The cached PixelCNN sampler: one submission and one read-back per image row.

use std::sync::{Arc, Mutex};

use crate::pixelcnn::cpu::{CpuModel, SampleRequest};

const WORKGROUP: usize = 256;
/// Invocations of the pixel phase. A software adapter runs a workgroup eight invocations at a
/// time and pays for every group even where its work is masked off, so one group is fastest
/// there (lavapipe, one digit: 32 invocations 800 ms, 8 690 ms); a GPU gets a shorter chain
/// per pixel from more.
const PIXEL_THREADS_GPU: usize = 32;
const PIXEL_THREADS_CPU: usize = 8;
/// Columns each row-phase invocation owns: every weight read then serves two columns (on
/// lavapipe one digit 885 -> 702 ms; four columns did no better).
const ROW_COLUMNS: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("no GPU adapter is available ({0}); using the CPU instead")]
    NoAdapter(String),
    #[error("the GPU device could not be created: {0}")]
    Device(String),
    #[error("this model does not fit the GPU sampler: {0}")]
    Unsupported(String),
    #[error("reading results back from the GPU failed: {0}")]
    Readback(String),
}

/// A device and queue, and the adapter's name for the page to show.
pub struct GpuContext {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter_name: String,
    pub backend: String,
    /// A software adapter (lavapipe, SwiftShader): the "GPU" is this machine's CPU.
    pub on_cpu: bool,
    last_error: Arc<Mutex<Option<String>>>,
    lost: Arc<Mutex<Option<String>>>,
}

impl GpuContext {
    /// The first GPU error since the context was made, if any.
    pub fn error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|e| e.clone())
    }

    /// Why the device was lost (a driver reset, a tab in the background too long, `destroy`),
    /// or `None` while it works. A lost device never comes back: make a new context.
    pub fn lost(&self) -> Option<String> {
        self.lost.lock().ok().and_then(|e| e.clone())
    }
}

impl GpuContext {
    pub async fn new() -> Result<Self, GpuError> {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = wgpu::Backends::VULKAN | wgpu::Backends::BROWSER_WEBGPU;
        let instance = wgpu::Instance::new(desc);
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        let info = adapter.get_info();
        let supported = adapter.limits();
        let limits = wgpu::Limits {
            max_storage_buffer_binding_size: supported.max_storage_buffer_binding_size,
            max_buffer_size: supported.max_buffer_size,
            max_compute_invocations_per_workgroup: 256,
            max_compute_workgroup_size_x: 256,
            max_storage_buffers_per_shader_stage: 8
                .min(supported.max_storage_buffers_per_shader_stage),
            ..wgpu::Limits::downlevel_defaults()
        };
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("genmodels device"),
                required_limits: limits,
                ..Default::default()
            })
            .await
            .map_err(|e| GpuError::Device(e.to_string()))?;
        // Validation errors and device loss must never panic (a panic aborts the whole wasm
        // module): they are recorded, and the next read-back reports them.
        let last_error = Arc::new(Mutex::new(None::<String>));
        let sink = last_error.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            if let Ok(mut slot) = sink.lock() {
                slot.get_or_insert_with(|| e.to_string());
            }
        }));
        let lost = Arc::new(Mutex::new(None::<String>));
        let lost_sink = lost.clone();
        let error_sink = last_error.clone();
        device.set_device_lost_callback(move |reason, message| {
            let why = match reason {
                wgpu::DeviceLostReason::Destroyed => "the device was destroyed".to_string(),
                wgpu::DeviceLostReason::Unknown if message.is_empty() => {
                    "the device was lost".into()
                }
                wgpu::DeviceLostReason::Unknown => format!("the device was lost: {message}"),
            };
            if let Ok(mut slot) = error_sink.lock() {
                slot.get_or_insert_with(|| why.clone());
            }
            if let Ok(mut slot) = lost_sink.lock() {
                *slot = Some(why);
            }
        });
        Ok(Self {
            last_error,
            lost,
            device,
            queue,
            adapter_name: if info.name.is_empty() {
                "WebGPU adapter".into()
            } else {
                info.name
            },
            backend: format!("{:?}", info.backend),
            on_cpu: info.device_type == wgpu::DeviceType::Cpu,
        })
    }
}

/// Starts mapping the first `size` bytes of `buffer` for reading; the receiver answers when
/// the GPU work before it is done. Mapping right after a submission lets the GPU go on with
/// the next submissions while the page waits for this one's results.
fn start_map(
    buffer: &wgpu::Buffer,
    size: u64,
) -> futures_channel::oneshot::Receiver<Result<(), wgpu::BufferAsyncError>> {
    let (sender, receiver) = futures_channel::oneshot::channel();
    buffer
        .slice(0..size)
        .map_async(wgpu::MapMode::Read, move |result| {
            let _ = sender.send(result);
        });
    receiver
}

/// Waits for a mapping started by `start_map` and copies the bytes out. Never blocks on the
/// web: the future resolves when the browser's event loop runs the map callback.
async fn finish_map(
    device: &wgpu::Device,
    buffer: &wgpu::Buffer,
    size: u64,
    receiver: futures_channel::oneshot::Receiver<Result<(), wgpu::BufferAsyncError>>,
) -> Result<Vec<u8>, GpuError> {
    #[cfg(not(target_family = "wasm"))]
    device
        .poll(wgpu::PollType::Wait {
            submission_index: None,
            timeout: None,
        })
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    #[cfg(target_family = "wasm")]
    let _ = device;
    receiver
        .await
        .map_err(|_| GpuError::Readback("the device was lost".into()))?
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    let slice = buffer.slice(0..size);
    let data = slice
        .get_mapped_range()
        .map_err(|e| GpuError::Readback(e.to_string()))?
        .to_vec();
    buffer.unmap();
    Ok(data)
}

/// What one row's read-back brings: every image's pixels so far, and the logits of each
/// position of the row just sampled for the first image (every image's logits of every
/// position after the last row, with `store_all_logits`: image-major).
pub struct RowResult {
    pub row: usize,
    pub pixels: Vec<u8>,
    pub row_logits: Vec<f32>,
}

/// Rows in flight at once: while the page reads one row's results, the GPU samples the next.
const RING: usize = 3;

/// One row submitted and not yet read: its read-back buffer's slot and the pending mapping.
struct InFlight {
    row: usize,
    slot: usize,
    size: u64,
    logits: bool,
    receiver: futures_channel::oneshot::Receiver<Result<(), wgpu::BufferAsyncError>>,
}

/// The PixelCNN sampler as a WGSL compute shader. Pipelines, bind groups and buffers are
/// created once; each row costs one `write_buffer` of 16 bytes, one submission and one
/// read-back of the row's pixels (and the first image's logits of that row), and up to
/// `RING` rows are in flight at once.
pub struct GpuSampler {
    ctx: Arc<GpuContext>,
    row_phase: wgpu::ComputePipeline,
    pixel_phase: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    params: wgpu::Buffer,
    row_pixels: wgpu::Buffer,
    logits: wgpu::Buffer,
    readbacks_ring: Vec<wgpu::Buffer>,
    in_flight: std::collections::VecDeque<InFlight>,
    pixels_so_far: Vec<u8>,
    images: usize,
    height: usize,
    width: usize,
    levels: usize,
    slots: usize,
    seed: u32,
    temperature: f32,
    store_all: bool,
    next_row: usize,
    next_submit: usize,
    pub submissions: usize,
    pub readbacks: usize,
}

/// How the shader's work is split: the sizes it is compiled for.
struct ShaderPlan {
    source: String,
    /// Floats of cached activations per image.
    state_floats: usize,
}

fn shader_source(model: &CpuModel, slots: usize, on_cpu: bool) -> Result<ShaderPlan, GpuError> {
    let c = &model.config;
    let (ch, s, w, hw, levels) = (c.channels, c.head_channels, c.width, c.pixels(), c.levels);
    if 2 * ch > WORKGROUP || s > WORKGROUP || levels > WORKGROUP {
        return Err(GpuError::Unsupported(
            "channels, head channels and levels must fit 256 threads".into(),
        ));
    }
    if ch % 4 != 0 || s % 4 != 0 || levels % 4 != 0 {
        return Err(GpuError::Unsupported(
            "channels, head channels and levels must be multiples of 4".into(),
        ));
    }
    let (cq, c2q, sq, lq) = (ch / 4, 2 * ch / 4, s / 4, levels / 4);
    // The pixel phase's invocations: one per output quad of the out and skip projections.
    let blocks = levels.div_ceil(crate::pixelcnn::cpu::DRAW_BLOCK);
    let pt = if on_cpu {
        PIXEL_THREADS_CPU
    } else {
        PIXEL_THREADS_GPU
    };
    // The row phase: COLS columns per invocation, in whole groups of eight invocations.
    let (cols, rt) = (ROW_COLUMNS, w.div_ceil(ROW_COLUMNS).next_multiple_of(8));
    let row_bytes = 2 * w * cq * 16;
    let pixel_bytes = (cq + 2 * cq + sq + sq + lq) * 16 + (levels + 2 * blocks + w) * 4;
    if row_bytes.max(pixel_bytes) > 16 * 1024 || pt.max(rt) > WORKGROUP {
        return Err(GpuError::Unsupported(
            "the row does not fit 16 KiB of workgroup memory".into(),
        ));
    }
    let h_base = c.layers * hw * ch;
    let h_row = h_base + c.layers * w * 2 * ch;
    let stride = h_row + c.layers * w * ch;
    let labels = c.layers * 12 + 4;
    let source = include_str!("pixelcnn_row.wgsl")
        .replace("{{VACT}}", &(2 * w * cq).to_string())
        .replace("{{RT}}", &rt.to_string())
        .replace("{{COLS}}", &cols.to_string())
        .replace("{{PRE}}", &(cols * c2q).to_string())
        .replace("{{C2Q}}", &c2q.to_string())
        .replace("{{CQ}}", &cq.to_string())
        .replace("{{HBUF}}", &(2 * cq).to_string())
        .replace("{{SQ}}", &sq.to_string())
        .replace("{{LQ}}", &lq.to_string())
        .replace("{{BLOCKS}}", &blocks.to_string())
        .replace("{{PT}}", &pt.to_string())
        .replace("{{ROUNDS_S}}", &sq.div_ceil(pt).to_string())
        .replace("{{C2}}", &(2 * ch).to_string())
        .replace("{{C}}", &ch.to_string())
        .replace("{{S}}", &s.to_string())
        .replace("{{LEVELS}}", &levels.to_string())
        .replace("{{W}}", &w.to_string())
        .replace("{{HW}}", &hw.to_string())
        .replace("{{L}}", &c.layers.to_string())
        .replace(
            "{{DILATIONS}}",
            &(0..c.layers)
                .map(|l| format!("{}u", c.dilation(l)))
                .collect::<Vec<_>>()
                .join(", "),
        )
        .replace("{{K0}}", &c.first_kernel.to_string())
        .replace("{{K}}", &c.kernel.to_string())
        .replace("{{SLOTS}}", &slots.to_string())
        // The shader counts storage in vec4s.
        .replace("{{STATE_STRIDE}}", &(stride / 4).to_string())
        .replace("{{H_BASE}}", &(h_base / 4).to_string())
        .replace("{{H_ROW}}", &(h_row / 4).to_string())
        .replace("{{HEAD}}", &(c.layers * 12).to_string())
        .replace("{{LABELS}}", &labels.to_string());
    Ok(ShaderPlan {
        source,
        state_floats: stride,
    })
}

fn storage_entry(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl GpuSampler {
    /// Prepares a sampling run. With `store_all_logits`, the logits of every pixel are kept
    /// (likelihoods, tests); otherwise only those of the current row.
    pub fn new(
        ctx: Arc<GpuContext>,
        model: &CpuModel,
        request: &SampleRequest,
        store_all_logits: bool,
    ) -> Result<Self, GpuError> {
        use wgpu::util::DeviceExt;
        let cfg = &model.config;
        let images = request.labels.len();
        let hw = cfg.pixels();
        let slots = if store_all_logits { hw } else { cfg.width };
        let plan = shader_source(model, slots, ctx.on_cpu)?;
        let device = &ctx.device;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("pixelcnn_row.wgsl"),
            source: wgpu::ShaderSource::Wgsl(plan.source.into()),
        });
        let (weights, mut meta) = model.packed();
        meta.extend(request.labels.iter().map(|&l| l as u32));
        let mut initial: Vec<u32> = vec![0; images * hw];
        let mut pixels_so_far = vec![0u8; images * hw];
        if let Some((values, mask)) = &request.known {
            for i in 0..images {
                for p in 0..hw {
                    if mask[p] {
                        initial[i * hw + p] = values[i * hw + p] as u32 | 256;
                        pixels_so_far[i * hw + p] = values[i * hw + p];
                    }
                }
            }
        }
        let weights_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("pixelcnn weights"),
            contents: bytemuck::cast_slice(&weights),
            usage: wgpu::BufferUsages::STORAGE,
        });
        let meta_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("pixelcnn offsets and labels"),
            contents: bytemuck::cast_slice(&meta),
            usage: wgpu::BufferUsages::STORAGE,
        });
        let state = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pixelcnn cached activations"),
            size: (images * plan.state_floats * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        let pixels = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("pixelcnn pixels"),
            contents: bytemuck::cast_slice(&initial),
            usage: wgpu::BufferUsages::STORAGE,
        });
        let row_pixels = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pixelcnn the row's pixels"),
            size: (images * cfg.width * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let logits_size = (images * slots * cfg.levels * 4) as u64;
        let logits = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pixelcnn logits"),
            size: logits_size,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pixelcnn row parameters"),
            size: 16,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let readbacks_ring = (0..RING)
            .map(|_| {
                device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("pixelcnn read-back"),
                    size: row_pixels.size() + logits_size,
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                })
            })
            .collect();
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("pixelcnn bind group layout"),
            entries: &[
                storage_entry(0, true),
                storage_entry(1, true),
                storage_entry(2, false),
                storage_entry(3, false),
                storage_entry(4, false),
                wgpu::BindGroupLayoutEntry {
                    binding: 5,
                    visibility: wgpu::ShaderStages::COMPUTE,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                storage_entry(6, false),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("pixelcnn pipeline layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let (row_phase, pixel_phase) = (pipeline("row_phase"), pipeline("pixel_phase"));
        let buffers = [
            &weights_buffer,
            &meta_buffer,
            &state,
            &pixels,
            &logits,
            &params,
            &row_pixels,
        ];
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .enumerate()
            .map(|(binding, buffer)| wgpu::BindGroupEntry {
                binding: binding as u32,
                resource: buffer.as_entire_binding(),
            })
            .collect();
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("pixelcnn bind group"),
            layout: &layout,
            entries: &entries,
        });
        Ok(Self {
            ctx,
            row_phase,
            pixel_phase,
            bind_group,
            params,
            row_pixels,
            logits,
            readbacks_ring,
            in_flight: Default::default(),
            pixels_so_far,
            images,
            height: cfg.height,
            width: cfg.width,
            levels: cfg.levels,
            slots,
            seed: request.seed,
            temperature: request.temperature,
            store_all: store_all_logits,
            next_row: 0,
            next_submit: 0,
            submissions: 0,
            readbacks: 0,
        })
    }

    pub fn next_row(&self) -> usize {
        self.next_row
    }
    pub fn is_done(&self) -> bool {
        self.next_row >= self.height
    }

    /// Submits the next row: its parameters, the dispatch, and the copy of its results into
    /// a free read-back buffer, which starts mapping at once.
    fn submit_next(&mut self) {
        let row = self.next_submit;
        let slot = row % RING;
        let params: [u32; 4] = [
            row as u32,
            self.seed,
            self.temperature.to_bits(),
            self.store_all as u32,
        ];
        let ctx = &self.ctx;
        // Queue writes land before the next submission, so each row sees its own parameters.
        ctx.queue
            .write_buffer(&self.params, 0, bytemuck::cast_slice(&params));
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("pixelcnn row"),
            });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some("pixelcnn sample_row"),
                timestamp_writes: None,
            });
            pass.set_bind_group(0, &self.bind_group, &[]);
            // The vertical stack of the row, then its pixels one after another.
            for pipeline in [&self.row_phase, &self.pixel_phase] {
                pass.set_pipeline(pipeline);
                pass.dispatch_workgroups(self.images as u32, 1, 1);
            }
        }
        let readback = &self.readbacks_ring[slot];
        let pixel_bytes = self.row_pixels.size();
        encoder.copy_buffer_to_buffer(&self.row_pixels, 0, readback, 0, pixel_bytes);
        // The logits of the first image's row (what the page shows), or after the last row
        // every stored logit.
        let logit_bytes = if self.store_all {
            if row + 1 == self.height {
                self.logits.size()
            } else {
                0
            }
        } else {
            (self.slots * self.levels * 4) as u64
        };
        if logit_bytes > 0 {
            encoder.copy_buffer_to_buffer(&self.logits, 0, readback, pixel_bytes, logit_bytes);
        }
        ctx.queue.submit([encoder.finish()]);
        self.submissions += 1;
        let size = pixel_bytes + logit_bytes;
        let receiver = start_map(readback, size);
        self.in_flight.push_back(InFlight {
            row,
            slot,
            size,
            logits: logit_bytes > 0,
            receiver,
        });
        self.next_submit += 1;
    }

    /// Samples the next row of every image. Up to `RING` rows are submitted ahead, so the
    /// GPU works on the next rows while this one's results are read.
    pub async fn sample_row(&mut self) -> Result<RowResult, GpuError> {
        while self.in_flight.len() < RING && self.next_submit < self.height {
            self.submit_next();
        }
        let Some(flight) = self.in_flight.pop_front() else {
            return Err(GpuError::Readback("every row has been sampled".into()));
        };
        let readback = &self.readbacks_ring[flight.slot];
        let bytes = finish_map(&self.ctx.device, readback, flight.size, flight.receiver).await?;
        self.readbacks += 1;
        if let Some(e) = self.ctx.error() {
            return Err(GpuError::Readback(e));
        }
        let (w, hw) = (self.width, self.height * self.width);
        let pixel_bytes = self.row_pixels.size() as usize;
        let words: &[u32] = bytemuck::cast_slice(&bytes[..pixel_bytes]);
        for i in 0..self.images {
            for c in 0..w {
                self.pixels_so_far[i * hw + flight.row * w + c] = (words[i * w + c] & 255) as u8;
            }
        }
        self.next_row = flight.row + 1;
        let row_logits = if flight.logits {
            bytemuck::cast_slice::<u8, f32>(&bytes[pixel_bytes..]).to_vec()
        } else {
            Vec::new()
        };
        Ok(RowResult {
            row: flight.row,
            pixels: self.pixels_so_far.clone(),
            row_logits,
        })
    }

    /// Logits slots per image (the row's width, or every pixel with `store_all_logits`).
    pub fn logit_slots(&self) -> usize {
        self.slots
    }
    pub fn levels(&self) -> usize {
        self.levels
    }
}
