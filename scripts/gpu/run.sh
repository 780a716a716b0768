#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .device/ made by prepare.sh: the GPU
# tests (they skip visibly without a GPU), the CUDA benchmark, and the CUDA streaming example
# through libx264 (null transport: the GPU machine has no browser). Logs go to $OUT (or /tmp/out).
set -u
D=.device
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT" /tmp/fw-jre
tar xzf "$D/jre.tgz" -C /tmp/fw-jre
JAVA=/tmp/fw-jre/jre/bin/java
CP="$(ls -d $D/test-classes/* | tr '\n' ':')$(ls $D/lib/*.jar | tr '\n' ':')"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/nvidia-smi.txt"
packages="--select-package io.framewire.plugin.cuda"
[ -d "$D/test-classes/dlpack-source" ] && packages="$packages --select-package io.framewire.plugin.dlpack"
"$JAVA" -Djava.io.tmpdir=/tmp -jar "$D/junit-platform-console-standalone-1.10.2.jar" -cp "$CP" $packages \
  --details=tree --disable-banner > "$OUT/tests.log" 2>&1
echo "tests rc=$?" | tee -a "$OUT/tests.log"; tail -n 25 "$OUT/tests.log"
"$JAVA" -cp "$CP" io.framewire.plugin.cuda.CudaBenchmark > "$OUT/cuda-benchmark.log" 2>&1
echo "cuda benchmark rc=$?"; tail -n 20 "$OUT/cuda-benchmark.log"
for fps in 30 240; do
  "$JAVA" -Dframewire.transport=null -Dframewire.port=0 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$CP" io.framewire.examples.CudaStreamingExample 15 1920 1080 $fps > "$OUT/example-$fps.log" 2>&1
  echo "example @$fps rc=$?"; tail -n 4 "$OUT/example-$fps.log"
done
"$JAVA" -Dframewire.transport=null -Dframewire.port=0 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" io.framewire.examples.DlpackStreamingExample 10 1920 1080 30 > "$OUT/example-dlpack.log" 2>&1
echo "dlpack example rc=$?"; tail -n 3 "$OUT/example-dlpack.log"
