#!/usr/bin/env bash
# The Python package's tests, as mvn verify runs them (integration-test phase of python/pom.xml):
# the package is installed the way its users install it, with pip and no package index, into a
# fresh virtual environment over Debian's python3-jpype, python3-numpy, python3-setuptools and
# python3-wheel; then pytest runs the tests against that installed copy.
#
#   python/run-tests.sh [pytest args]     (after mvn package; FRAMEWIRE_PYTHON picks the interpreter)
#
# Without those packages the tests are SKIPPED with a message, unless FRAMEWIRE_REQUIRE_PYTHON=1
# (.ci/run sets it), which makes their absence a failure.
set -euo pipefail
cd "$(dirname "$0")"
python=${FRAMEWIRE_PYTHON:-/usr/bin/python3}
missing=$("$python" - <<'PY' 2>/dev/null || echo "a Python 3 interpreter at $python"
import importlib.util
names = {"jpype": "python3-jpype", "numpy": "python3-numpy", "pytest": "python3-pytest",
         "setuptools": "python3-setuptools", "wheel": "python3-wheel", "pip": "python3-pip"}
print(" ".join(deb for module, deb in names.items() if importlib.util.find_spec(module) is None))
PY
)
if [ -n "$missing" ]; then
  if [ "${FRAMEWIRE_REQUIRE_PYTHON:-0}" = 1 ]; then
    echo "framewire python tests: missing $missing (apt-get install $missing)" >&2
    exit 1
  fi
  echo "[WARNING] framewire python tests SKIPPED: missing $missing (apt-get install $missing)"
  exit 0
fi
rm -rf target/venv build
"$python" -m venv --without-pip --system-site-packages target/venv
FRAMEWIRE_DISTRIBUTION="$PWD/../distribution/target/framewire" \
  target/venv/bin/python -m pip install --quiet --no-build-isolation --no-index .
rm -rf build src/*.egg-info
# run from target/ so that 'import framewire' can only mean the installed package
cd target
exec venv/bin/python -m pytest -ra -p no:cacheprovider --rootdir=.. -c ../pyproject.toml \
  --junitxml=pytest-report.xml "${@:-../tests}"
