#!/usr/bin/env python3
"""The layering check itself: a tree with an upward include fails, the same tree without passes."""
import pathlib
import subprocess
import sys
import tempfile

CHECK = pathlib.Path(__file__).with_name("check_layering.py")


def run(root: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True, text=True)


def tree(root: pathlib.Path, pipelines_includes: str) -> None:
    for module in ("util", "pipelines", "routes", "runtime"):
        (root / "src" / module).mkdir(parents=True)
        (root / "include" / "warroom" / module).mkdir(parents=True)
    (root / "src" / "pipelines" / "open.cpp").write_text(pipelines_includes)


def main() -> int:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        good = pathlib.Path(tmp) / "good"
        tree(good, "#include <warroom/util/result.hpp>\n")
        if run(good).returncode != 0:
            failures.append("a downward include was refused")
        up = pathlib.Path(tmp) / "up"
        tree(up, "#include <warroom/util/result.hpp>\n#include <warroom/routes/intake.hpp>\n")
        out = run(up)
        if out.returncode == 0 or "src/pipelines/open.cpp" not in out.stderr:
            failures.append("pipelines including routes was not reported")
        pure = pathlib.Path(tmp) / "pure"
        tree(pure, "")
        (pure / "src" / "util" / "x.cpp").write_text('#include "warroom/pipelines/jobs.hpp"\n')
        if run(pure).returncode == 0:
            failures.append("a pure module including an I/O module was not reported")
        stray = pathlib.Path(tmp) / "stray"
        tree(stray, "")
        (stray / "src" / "newthing").mkdir()
        if run(stray).returncode == 0:
            failures.append("a module folder without a layer was not reported")
    for f in failures:
        print(f"check_layering_test: {f}", file=sys.stderr)
    if not failures:
        print("check_layering_test: all 4 cases behave")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
