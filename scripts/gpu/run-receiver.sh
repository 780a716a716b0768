#!/usr/bin/env bash
# Runs on the GPU machine after run.sh (its .device/ is still there), with .device-rx/ carried in:
# GPU frames -> CUDA importer -> libx264 -> WebRTC -> the Java test receiver -> decoded colours, and
# the receiver's passthrough tests (H.264, H.265, AV1). Logs go to $OUT (or /tmp/out).
set -u
D=.device
RX=.device-rx
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT" /tmp/fw-jre
[ -x /tmp/fw-jre/jre/bin/java ] || tar xzf "$D/jre.tgz" -C /tmp/fw-jre
JAVA=/tmp/fw-jre/jre/bin/java
CP="$(ls -d $RX/classes/* | tr '\n' ':')$(ls $RX/lib/*.jar | tr '\n' ':')$(ls $D/lib/*.jar | tr '\n' ':')"
"$JAVA" -Djava.io.tmpdir=/tmp -jar "$D/junit-platform-console-standalone-1.10.2.jar" -cp "$CP" \
  --select-class io.framewire.testing.receiver.GpuFramesEndToEndTest \
  --select-class io.framewire.testing.receiver.WebRtcTestReceiverTest \
  --details=tree --disable-banner > "$OUT/receiver-tests.log" 2>&1
echo "receiver tests rc=$?" | tee -a "$OUT/receiver-tests.log"; tail -n 30 "$OUT/receiver-tests.log"
