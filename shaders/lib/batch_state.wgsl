// Per-batch progress shared by the solvers that decide convergence on the GPU (sinkhorn.wgsl,
// grid_sinkhorn.wgsl); mirrored by SINKHORN_BATCH_STATE in src/solvers/sinkhorn/layouts.ts.
// checks: marginal-error checks written this submit; done: converged (later dispatches skip it).
struct BatchState {
  checks: u32,
  done: u32,
  spare0: u32,
  spare1: u32,
}
