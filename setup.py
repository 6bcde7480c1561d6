"""Ship the top-level ``rules/`` and ``profiles/`` folders inside the wheel.

They live at the top of the repository so that policy staff find them without digging through
``src/``; this hook copies them to ``replicate/_shipped/`` at build time so that a plain,
non-editable ``pip install .`` carries the same rule base and examples as a checkout.
"""

from pathlib import Path
from shutil import copytree

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("rules", "profiles")


class BuildPyWithShippedData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        for name in SHIPPED_FOLDERS:
            copytree(root / name, Path(self.build_lib, "replicate", "_shipped", name), dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithShippedData})
