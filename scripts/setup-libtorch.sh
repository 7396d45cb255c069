#!/usr/bin/env bash
# Installs a CPU-only libtorch 2.4.0 for tch 0.17 from PyPI's torch wheel.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null 2>&1; then
  echo "setup: python3 is required (it provides pip and venv for the torch wheel)" >&2
  exit 2
fi

if [ ! -x .venv/bin/pip ]; then
  python3 -m venv .venv || { echo "setup: 'python3 -m venv' failed; install python3-venv" >&2; exit 2; }
fi

torch_lib=".venv/lib/python3*/site-packages/torch/lib"
# shellcheck disable=SC2086
if ! ls $torch_lib/libtorch_cpu.so >/dev/null 2>&1; then
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps \
    torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105
fi

torch_dir=$(cd .venv/lib/python3*/site-packages/torch && pwd)
mkdir -p .libtorch/lib
ln -sfn "$torch_dir/include" .libtorch/include
# Only the CPU libraries: with libtorch_cuda.so present torch-sys links it and the binary cannot start.
for so in libc10.so libtorch_cpu.so libtorch.so; do
  ln -sfn "$torch_dir/lib/$so" ".libtorch/lib/$so"
done
# build.rs reads this to set an rpath to the real folder (libgomp and friends live there).
echo "$torch_dir/lib" > .libtorch/rpath
echo "setup: libtorch ready in .libtorch (from $torch_dir)"
