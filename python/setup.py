"""Builds the framewire package with the Framewire distribution inside it.

The wheel carries the distribution's Felix launcher, bundles and embedding launcher (framewire/_home),
so an installed package needs only a Java 17+ runtime. They come from the Maven build,
../distribution/target/framewire (or FRAMEWIRE_DISTRIBUTION); when that is missing and Maven is on
the PATH, it is built first, as ./framewire does.
"""
import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# What an in-process container needs of the distribution: no load/ (the Server configures itself),
# no shell/ (no terminal), no samples/.
HOME_PARTS = ("bin", "lib", "bundle", "conf")


def distribution() -> Path:
    configured = os.environ.get("FRAMEWIRE_DISTRIBUTION")
    home = Path(configured) if configured else HERE.parent / "distribution" / "target" / "framewire"
    if not (home / "lib" / "framewire-embedded.jar").is_file() and not configured:
        if shutil.which("mvn") is None:
            raise SystemExit(f"framewire: no distribution at {home} and no Maven to build it; "
                             "run 'mvn -q -B -DskipTests package' in the repository first")
        print("framewire: building the distribution (mvn -q -B -DskipTests package)...", flush=True)
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=HERE.parent, check=True)
    if not (home / "lib" / "framewire-embedded.jar").is_file():
        raise SystemExit(f"framewire: {home} is not a Framewire distribution (no lib/framewire-embedded.jar)")
    return home


class BuildWithDistribution(build_py):
    def run(self):
        super().run()
        source = distribution()
        target = Path(self.build_lib) / "framewire" / "_home"
        shutil.rmtree(target, ignore_errors=True)
        for part in HOME_PARTS:
            shutil.copytree(source / part, target / part)


setup(cmdclass={"build_py": BuildWithDistribution})
