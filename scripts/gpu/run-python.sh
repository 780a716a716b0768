#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .device-py/ made by prepare-python.sh
# (carried along): the Java CudaStreamingExample figure, the Python stream_video() latency next to
# it, the PyTorch and CuPy examples, and the Python GPU tests, each step with a time limit.
# Logs go to $OUT (or /tmp/out): env.txt, java-example.log, latency.log, examples.log, pytest.log,
# figures.txt (what the tests measured), summary.txt, and hs_err_*.log if a JVM crashed.
#
#   bash .device-py/run-python.sh [steps]      steps: any of java latency examples tests (default all)
# FRAMEWIRE_PYTHON picks the interpreter (default python3); FRAMEWIRE_DEVICE_JPYPE=0 leaves the
# carried JPype off PYTHONPATH (to try the script with another Python that has its own JPype).
set -u
D=${FRAMEWIRE_DEVICE_PY:-.device-py}
D=$(cd "$D" && pwd)
OUT=${OUT:-/tmp/out}
PY=${FRAMEWIRE_PYTHON:-python3}
STEPS=${*:-java latency examples tests}
mkdir -p "$OUT" /tmp/fw-py-jre
if [ ! -x /tmp/fw-py-jre/jre/bin/java ]; then
  tar xJf "$D/jre.txz" -C /tmp/fw-py-jre 2>/dev/null \
    || "$PY" -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$D/jre.txz" /tmp/fw-py-jre
fi
export JAVA_HOME=/tmp/fw-py-jre/jre
export FRAMEWIRE_HOME="$D/framewire"
export PYTHONPATH="$D/python/src${PYTHONPATH:+:$PYTHONPATH}"
[ "${FRAMEWIRE_DEVICE_JPYPE:-1}" = 1 ] && export PYTHONPATH="$PYTHONPATH:$D/jpype"
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
export FRAMEWIRE_GPU_FIGURES="$OUT/figures.txt"
# a JVM that crashes (Python's or the Java example's) leaves its report where it comes back
export JAVA_TOOL_OPTIONS="-XX:ErrorFile=$OUT/hs_err_%p.log"
: > "$OUT/figures.txt"
summary="$OUT/summary.txt"
: > "$summary"
step() { echo "== $*" | tee -a "$summary"; }

{
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv 2>&1
  "$JAVA_HOME/bin/java" -version 2>&1 | head -1
  "$PY" - <<'PY'
import importlib, sys
print("python", sys.version.split()[0], sys.executable)
for name in ("numpy", "pytest", "pytest_timeout", "jpype", "torch", "cupy", "framewire"):
    try:
        module = importlib.import_module(name)
        print(name, getattr(module, "__version__", "?"), getattr(module, "__file__", ""))
    except Exception as e:
        print(name, "MISSING:", type(e).__name__, e)
try:
    import torch
    print("torch cuda", torch.version.cuda, torch.cuda.is_available(), torch.cuda.get_device_name(0))
except Exception as e:
    print("torch cuda: ", e)
PY
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

if [[ " $STEPS " == *" java "* ]]; then
  # The Java figure: the embedded example (no OSGi) on the distribution's jars, null transport.
  CP="$(ls "$D"/java/*.jar | tr '\n' ':')$(ls "$D"/framewire/bundle/*.jar | tr '\n' ':')$D/framewire/bin/felix.jar"
  step "java CudaStreamingExample 15 1920 1080 30"
  timeout 90 "$JAVA_HOME/bin/java" -Djava.io.tmpdir=/tmp -Dframewire.transport=null -Dframewire.port=0 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.framewire.examples.CudaStreamingExample 15 1920 1080 30 \
    > "$OUT/java-example.log" 2>&1
  echo "rc=$?" >> "$OUT/java-example.log"
  grep -E "streamed|streamVideo|importFrame|rc=" "$OUT/java-example.log" | tee -a "$summary"
fi

if [[ " $STEPS " == *" latency "* ]]; then
  step "python stream_video() latency 15 s 1920x1080@30"
  timeout 240 "$PY" "$D/benchmarks/python/stream_video_gpu.py" 15 1920 1080 30 > "$OUT/latency.log" 2>&1
  echo "rc=$?" >> "$OUT/latency.log"
  grep -v -E "^\s*$|WARN" "$OUT/latency.log" | tail -n 20 | tee -a "$summary"
fi

if [[ " $STEPS " == *" examples "* ]]; then
  : > "$OUT/examples.log"
  for example in torch_stream cupy_stream; do
    step "example $example.py 5 --transport null --size 1920x1080"
    timeout 90 "$PY" "$D/examples/python/$example.py" 5 --transport null --port 0 --size 1920x1080 \
      > "/tmp/$example.log" 2>&1
    echo "$example rc=$?" >> "/tmp/$example.log"
    cat "/tmp/$example.log" >> "$OUT/examples.log"
    grep -E "^open|^streamed|rc=" "/tmp/$example.log" | tee -a "$summary"
  done
fi

if [[ " $STEPS " == *" tests "* ]]; then
  step "pytest python/tests/gpu"
  timeout_opt=()
  "$PY" -c "import pytest_timeout" 2>/dev/null && timeout_opt=(--timeout=240)
  (cd "$D/python/tests/gpu" && timeout 480 "$PY" -m pytest -c "$D/pytest.ini" --rootdir "$D" -v -rA "${timeout_opt[@]}" .) > "$OUT/pytest.log" 2>&1
  echo "pytest rc=$?" | tee -a "$OUT/pytest.log" >> "$summary"
  grep -E "(PASSED|FAILED|SKIPPED|ERROR|XFAIL)( |$)|passed|failed" "$OUT/pytest.log" | grep -E "::|=====" | tee -a "$summary"
  step "figures"
  cat "$OUT/figures.txt" | tee -a "$summary"
fi
