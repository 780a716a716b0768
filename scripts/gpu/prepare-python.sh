#!/usr/bin/env bash
# Prepares .device-py/ (git-ignored) for the Python package's GPU run on a machine that has a CUDA
# driver, Python 3.12 with PyTorch, CuPy, NumPy and pytest, but no Java and no network:
#   jre.txz          a jlink'd JRE (xz; the modules the bundles, Felix and JPype need, jdk.zipfs for
#                    JPype's import hooks)
#   framewire/       the distribution folder WITHOUT the WebRTC stack (no browser there, and it keeps
#                    a call under 64 MiB): the servers there use transport="null"
#   jpype/           JPype 1.7.1 built for CPython 3.12 (../shared/vendor/jpype-1.7.1-cp312)
#   java/            the examples jar, for the Java CudaStreamingExample figure next to Python's
#   python/, benchmarks/, examples/, run-python.sh, pytest.ini
#                    a snapshot of the package, its GPU tests, the latency benchmark and the examples
#                    as they are in this checkout: what runs there is what was prepared here
# Then, on the GPU machine, from the repository root: bash .device-py/run-python.sh
#
#   scripts/gpu/prepare-python.sh            (builds the distribution and examples first, offline)
#   SKIP_BUILD=1 scripts/gpu/prepare-python.sh
#   FRAMEWIRE_DEVICE_PY=/path/.device-py ...  writes there instead (e.g. into the checkout a device
#                                             call sends, from another worktree)
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${FRAMEWIRE_DEVICE_PY:-.device-py}
JPYPE=${FRAMEWIRE_JPYPE_CP312:-$(cd .. && pwd)/shared/vendor/jpype-1.7.1-cp312}
[ -d "$JPYPE" ] || JPYPE=/work/shared/vendor/jpype-1.7.1-cp312
[ -f "$JPYPE/_jpype.cpython-312-x86_64-linux-gnu.so" ] || { echo "no JPype cp312 build at $JPYPE" >&2; exit 1; }
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -o -q -DskipTests package -pl distribution,examples -am
fi
dist=distribution/target/framewire
[ -f "$dist/lib/framewire-embedded.jar" ] || { echo "no distribution at $dist (build it first)" >&2; exit 1; }

rm -rf "$D" && mkdir -p "$D/java" "$D/python/tests" "$D/examples"
# java.sql: JPype's org.jpype.jar uses it; java.management: SCR; jdk.unsupported: JavaCPP.
jlink --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.xml,java.sql,jdk.unsupported,jdk.httpserver,jdk.zipfs \
  --output "$D/jre" --strip-debug --no-header-files --no-man-pages --compress=2
tar cJf "$D/jre.txz" -C "$D" jre && rm -rf "$D/jre"

# The distribution without the WebRTC transport and what only it needs: BouncyCastle (DTLS) and
# Jetty (HTTP, WebSocket). SPI Fly and ASM stay: slf4j-api 2 requires the ServiceLoader mediator
# (osgi.serviceloader.processor) too, and without it every bundle that logs stays unresolved.
mkdir -p "$D/framewire"
cp -r "$dist/bin" "$dist/lib" "$dist/bundle" "$dist/conf" "$dist/samples" "$D/framewire/"
rm -f "$D"/framewire/bundle/bc*-jdk18on.jar "$D"/framewire/bundle/jetty-*.jar "$D"/framewire/bundle/framewire-webrtc-transport.jar
cp examples/target/framewire-examples-*.jar "$D/java/"

mkdir -p "$D/jpype"
cp -r "$JPYPE"/_jpype.cpython-312-x86_64-linux-gnu.so "$JPYPE"/org.jpype.jar "$JPYPE"/jpype "$D/jpype/"

cp -r python/src "$D/python/src"
cp -r python/tests/gpu "$D/python/tests/gpu"
mkdir -p "$D/benchmarks" && cp -r benchmarks/python "$D/benchmarks/python"
cp -r examples/python "$D/examples/python"
cp scripts/gpu/run-python.sh "$D/run-python.sh"
find "$D" -name __pycache__ -prune -exec rm -rf {} + -o -name '*.egg-info' -prune -exec rm -rf {} +
cat > "$D/pytest.ini" <<'INI'
[pytest]
# faulthandler would take the SIGSEGV the JVM raises (and handles) on purpose, and abort
addopts = -p no:faulthandler -p no:cacheprovider
markers =
    gpu: needs a CUDA GPU and PyTorch or CuPy (skipped visibly without them)
INI
size=$(du -sb "$D" | cut -f1)
echo "$D: $((size / 1048576)) MiB (a device call carries 64 MiB with the checkout)"
