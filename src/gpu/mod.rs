//! GPU code on wgpu: runs natively (Vulkan, e.g. lavapipe) and in the browser (WebGPU).
//! The cached PixelCNN sampler: one submission and one read-back per image row.

use std::sync::{Arc, Mutex};

use crate::pixelcnn::cpu::{CpuModel, SampleRequest};

const WORKGROUP: usize = 256;

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

/// Maps `buffer` and copies its first `size` bytes out. Never blocks on the web: the
/// future resolves when the browser's event loop runs the map callback.
pub async fn read_buffer(
    device: &wgpu::Device,
    buffer: &wgpu::Buffer,
    size: u64,
) -> Result<Vec<u8>, GpuError> {
    let slice = buffer.slice(0..size);
    let (sender, receiver) = futures_channel::oneshot::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
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
    let data = slice
        .get_mapped_range()
        .map_err(|e| GpuError::Readback(e.to_string()))?
        .to_vec();
    buffer.unmap();
    Ok(data)
}

/// What one row's read-back brings: every image's pixels so far, and the logits of each
/// position of the row just sampled (image-major).
pub struct RowResult {
    pub row: usize,
    pub pixels: Vec<u8>,
    pub row_logits: Vec<f32>,
}

/// The PixelCNN sampler as a WGSL compute shader. Pipelines, bind groups and buffers are
/// created once; each row costs one `write_buffer` of 16 bytes, one submission and one
/// read-back.
pub struct GpuSampler {
    ctx: Arc<GpuContext>,
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    params: wgpu::Buffer,
    pixels: wgpu::Buffer,
    logits: wgpu::Buffer,
    readback: wgpu::Buffer,
    images: usize,
    height: usize,
    width: usize,
    levels: usize,
    slots: usize,
    seed: u32,
    temperature: f32,
    store_all: bool,
    next_row: usize,
    pub submissions: usize,
    pub readbacks: usize,
}

fn shader_source(
    model: &CpuModel,
    images: usize,
    slots: usize,
) -> Result<(String, usize), GpuError> {
    let c = &model.config;
    let (ch, s, w, hw) = (c.channels, c.head_channels, c.width, c.pixels());
    if 2 * ch > WORKGROUP || s > WORKGROUP || c.levels > WORKGROUP {
        return Err(GpuError::Unsupported(
            "channels, head channels and levels must fit 256 threads".into(),
        ));
    }
    if (w * 2 * ch + 2 * ch + ch + 2 * s + c.levels) * 4 > 16 * 1024 {
        return Err(GpuError::Unsupported(
            "the row does not fit 16 KiB of workgroup memory".into(),
        ));
    }
    let h_base = c.layers * hw * ch;
    let h_row = h_base + c.layers * w * 2 * ch;
    let stride = h_row + c.layers * w * ch;
    let labels = c.layers * 12 + 4;
    let _ = images;
    let source = include_str!("pixelcnn_row.wgsl")
        .replace("{{W_C2}}", &(w * 2 * ch).to_string())
        .replace("{{C2}}", &(2 * ch).to_string())
        .replace("{{C}}", &ch.to_string())
        .replace("{{S}}", &s.to_string())
        .replace("{{LEVELS}}", &c.levels.to_string())
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
        .replace("{{STATE_STRIDE}}", &stride.to_string())
        .replace("{{H_BASE}}", &h_base.to_string())
        .replace("{{H_ROW}}", &h_row.to_string())
        .replace("{{HEAD}}", &(c.layers * 12).to_string())
        .replace("{{LABELS}}", &labels.to_string());
    Ok((source, stride))
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
        let (source, stride) = shader_source(model, images, slots)?;
        let device = &ctx.device;
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("pixelcnn_row.wgsl"),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let (weights, mut meta) = model.packed();
        meta.extend(request.labels.iter().map(|&l| l as u32));
        let mut initial: Vec<u32> = vec![0; images * hw];
        if let Some((values, mask)) = &request.known {
            for i in 0..images {
                for p in 0..hw {
                    if mask[p] {
                        initial[i * hw + p] = values[i * hw + p] as u32 | 256;
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
            size: (images * stride * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        let pixels = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("pixelcnn pixels"),
            contents: bytemuck::cast_slice(&initial),
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
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
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pixelcnn read-back"),
            size: (images * hw * 4) as u64 + logits_size,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
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
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("pixelcnn pipeline layout"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("pixelcnn sample_row"),
            layout: Some(&pipeline_layout),
            module: &module,
            entry_point: Some("sample_row"),
            compilation_options: Default::default(),
            cache: None,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("pixelcnn bind group"),
            layout: &layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: weights_buffer.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: meta_buffer.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: state.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: pixels.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 4,
                    resource: logits.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 5,
                    resource: params.as_entire_binding(),
                },
            ],
        });
        Ok(Self {
            ctx,
            pipeline,
            bind_group,
            params,
            pixels,
            logits,
            readback,
            images,
            height: cfg.height,
            width: cfg.width,
            levels: cfg.levels,
            slots,
            seed: request.seed,
            temperature: request.temperature,
            store_all: store_all_logits,
            next_row: 0,
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

    /// Samples the next row of every image: one submission, then one read-back.
    pub async fn sample_row(&mut self) -> Result<RowResult, GpuError> {
        let row = self.next_row;
        let params: [u32; 4] = [
            row as u32,
            self.seed,
            self.temperature.to_bits(),
            self.store_all as u32,
        ];
        let ctx = &self.ctx;
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
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &self.bind_group, &[]);
            pass.dispatch_workgroups(self.images as u32, 1, 1);
        }
        let pixel_bytes = (self.images * self.height * self.width * 4) as u64;
        let logit_bytes = self.logits.size();
        let copy_logits = if self.store_all {
            self.is_last_row(row)
        } else {
            true
        };
        encoder.copy_buffer_to_buffer(&self.pixels, 0, &self.readback, 0, pixel_bytes);
        if copy_logits {
            encoder.copy_buffer_to_buffer(
                &self.logits,
                0,
                &self.readback,
                pixel_bytes,
                logit_bytes,
            );
        }
        ctx.queue.submit([encoder.finish()]);
        self.submissions += 1;
        let size = pixel_bytes + if copy_logits { logit_bytes } else { 0 };
        let bytes = read_buffer(&ctx.device, &self.readback, size).await?;
        self.readbacks += 1;
        if let Some(e) = ctx.error() {
            return Err(GpuError::Readback(e));
        }
        self.next_row += 1;
        let words: &[u32] = bytemuck::cast_slice(&bytes[..pixel_bytes as usize]);
        let pixels = words.iter().map(|w| (w & 255) as u8).collect();
        let row_logits = if copy_logits {
            bytemuck::cast_slice::<u8, f32>(&bytes[pixel_bytes as usize..]).to_vec()
        } else {
            Vec::new()
        };
        Ok(RowResult {
            row,
            pixels,
            row_logits,
        })
    }

    fn is_last_row(&self, row: usize) -> bool {
        row + 1 == self.height
    }

    /// Logits slots per image (the row's width, or every pixel with `store_all_logits`).
    pub fn logit_slots(&self) -> usize {
        self.slots
    }
    pub fn levels(&self) -> usize {
        self.levels
    }
}
