#!/usr/bin/env bash
# Prepares .device/ (git-ignored) for a GPU machine that has a CUDA driver but no Java and no
# network: a jlink'd JRE (tar.gz), the GPU tests' and the examples' class paths, and run.sh.
# Then run scripts/gpu/run.sh there from the repository root (with .device carried along).
set -euo pipefail
cd "$(dirname "$0")/../.."
modules=plugins/cuda-source,examples
[ -d plugins/dlpack-source ] && [ "${WITH_DLPACK:-1}" = 1 ] && modules=$modules,plugins/dlpack-source
mvn -q -B -DskipTests install -pl "$modules" -am
rm -rf .device && mkdir -p .device/lib .device/test-classes
jlink --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.xml,jdk.unsupported,jdk.httpserver \
  --output .device/jre --strip-debug --no-header-files --no-man-pages
tar czf .device/jre.tgz -C .device jre && rm -rf .device/jre
for m in ${modules//,/ }; do
  mvn -q -B dependency:copy-dependencies -pl "$m" -DincludeScope=test -DoutputDirectory="$PWD/.device/lib"
  [ -d "$m/target/test-classes" ] && cp -r "$m/target/test-classes" ".device/test-classes/$(basename "$m")"
  cp "$m"/target/*.jar .device/lib/ 2>/dev/null || true
done
# What the GPU machine does not need, to stay under the 64 MiB a device call carries: the WebRTC
# stack and what it embeds (no browser there; the examples run with the null transport), JCuda's
# full natives (the cuda-source jar carries its driver library), FFmpeg's own jars
# (framewire-ffmpeg-natives holds their classes and libraries).
rm -f .device/lib/bc*-jdk18on-*.jar .device/lib/jetty-*.jar .device/lib/jcuda-natives-*.jar \
      .device/lib/ffmpeg-8*.jar .device/lib/framewire-webrtc-transport-*.jar \
      .device/lib/ice4j-*.jar .device/lib/jitsi-*.jar .device/lib/jicoco-*.jar .device/lib/kotlin-*.jar \
      .device/lib/jna-*.jar .device/lib/config-1*.jar .device/lib/json-simple-*.jar
mvn -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.10.2 -DoutputDirectory="$PWD/.device"
du -sh .device

# The test receiver's extras (the WebRTC stack, BouncyCastle, Jetty, the receiver and its tests) in
# .device-rx: too much to carry with .device in one call (64 MiB), so a second call carries it while
# .device stays on the machine; scripts/gpu/run-receiver.sh runs GPU frames -> WebRTC -> decode there.
if [ "${WITH_RECEIVER:-1}" = 1 ]; then
  rx=.device-rx
  mvn -q -B -DskipTests install -pl testing-receiver -am
  rm -rf "$rx" && mkdir -p "$rx/lib" "$rx/classes"
  mvn -q -B dependency:copy-dependencies -pl testing-receiver -DincludeScope=test -DoutputDirectory="$PWD/$rx/lib"
  for j in "$rx"/lib/*.jar; do [ -e ".device/lib/$(basename "$j")" ] && rm -f "$j"; done
  rm -f "$rx"/lib/ffmpeg-8*.jar "$rx"/lib/jcuda-natives-*.jar "$rx"/lib/framewire-ffmpeg-natives-*.jar
  # the WebRTC bundle embeds ice4j and co., which are on this list anyway: carry its classes only
  rm -f "$rx"/lib/framewire-webrtc-transport-0*-SNAPSHOT.jar
  cp -r plugins/webrtc-transport/target/classes "$rx/classes/webrtc-transport"
  find "$rx/classes/webrtc-transport" -name '*.jar' -delete # the embedded copies
  cp -r testing-receiver/target/classes "$rx/classes/testing-receiver"
  cp -r testing-receiver/target/test-classes "$rx/classes/testing-receiver-tests"
  rm -f "$rx"/lib/framewire-testing-receiver-*.jar
  du -sh "$rx"
fi
