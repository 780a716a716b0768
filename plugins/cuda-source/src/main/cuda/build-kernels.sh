#!/usr/bin/env bash
# Rebuilds the committed kernel binaries from bgra_to_nv12.cu:
#   PTX  for compute_75 (JIT-compiled by the driver on any GPU without a matching cubin)
#   cubins for sm_80, sm_86, sm_89, sm_90
# into src/main/resources/io/framewire/plugin/cuda/kernels/. Commit the results: the Maven build
# does not run nvcc. nvcc 13 writes PTX ISA 9.0, which needs an R580+ driver to JIT (and to load
# its cubins); older drivers refuse the module with CUDA_ERROR_UNSUPPORTED_PTX_VERSION.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/io/framewire/plugin/cuda/kernels"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
mkdir -p "$out"
"$NVCC" --version | tail -n 2
src="$here/bgra_to_nv12.cu"
"$NVCC" -O3 -std=c++17 -ptx -arch=compute_75 "$src" -o "$out/bgra_to_nv12.compute_75.ptx"
for sm in 80 86 89 90; do
  "$NVCC" -O3 -std=c++17 -cubin -arch=sm_${sm} "$src" -o "$out/bgra_to_nv12.sm_${sm}.cubin"
done
( cd "$out" && sha256sum bgra_to_nv12.* > SHA256SUMS && ls -l )
