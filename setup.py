"""Builds gust._core with CMake (pyproject.toml holds the package's metadata).

The extension is the target gust_python of the project's CMake build, in
build/ beside this file unless GUST_BUILD_DIR names another folder; an
up-to-date build is reused, so installing after scripts/bootstrap takes
seconds.
"""
import os
import pathlib
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("GUST_BUILD_DIR", ROOT / "build")).resolve()
        subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                               "-DGUST_PYTHON=ON"])
        subprocess.check_call(["cmake", "--build", str(build), "--target", "gust_python",
                               "-j", str(os.cpu_count() or 1)])
        built = sorted((build / "python" / "gust").glob("_core*.so"))
        if not built:
            raise RuntimeError(f"{build}/python/gust: the CMake build made no _core module")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(ext_modules=[Extension("gust._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
