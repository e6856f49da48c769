#!/usr/bin/env python3
"""Checks that scripts/packages-runtime.txt covers every shared library warroomd (and warroom-sim, when built)
loads: each library ldd resolves must come from a listed package, from a package those depend on, or from the
bookworm-slim base (Priority: required, plus apt). Sanitizer runtimes (libasan, libubsan, libtsan) are the test
build's own instrumentation and are not counted. Exit 77 (skipped) without dpkg/ldd."""
import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

SKIP = 77
SANITIZER_RUNTIME = re.compile(r"/lib(asan|ubsan|tsan)\.so")


def package_list(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def installed_packages() -> dict[str, dict]:
    fmt = "${Package}\t${Priority}\t${Essential}\t${Depends}, ${Pre-Depends}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, check=True).stdout
    packages = {}
    for line in out.splitlines():
        name, priority, essential, depends = line.split("\t")
        deps = {re.split(r"[\s(:]", alt.strip())[0] for alt in re.split(r"[,|]", depends) if alt.strip()}
        packages[name] = {"base": priority == "required" or essential == "yes", "deps": deps}
    return packages


def closure(roots: set[str], packages: dict[str, dict]) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        todo.extend(packages[name]["deps"])
    return seen


def libraries(binary: str) -> list[str]:
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    return [m.group(1) for m in re.finditer(r"=>\s+(/\S+)", out)]


def owner(path: str) -> str | None:
    candidates = [path, str(Path(path).resolve())]
    candidates += [c.removeprefix("/usr") if c.startswith("/usr/") else "/usr" + c for c in list(candidates)]
    for candidate in candidates:
        run = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.split(":", 1)[0].strip()
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layout", required=True)
    parser.add_argument("--packages", required=True)
    args = parser.parse_args()
    if not (shutil.which("ldd") and shutil.which("dpkg-query")):
        print("SKIP: needs ldd and dpkg (Debian)")
        return SKIP
    programs = [p for p in json.loads(Path(args.layout).read_text())["programs"].values() if Path(p).exists()]
    if not programs:
        print("FAIL: warroomd is not built")
        return 1

    packages = installed_packages()
    listed = package_list(Path(args.packages))
    problems = [f"{name} (in {args.packages}) is not a package installed here" for name in listed
                if name not in packages]
    base = {name for name, info in packages.items() if info["base"]} | {"apt"}
    allowed = closure(set(listed), packages) | closure(base, packages)
    checked = 0
    for program in programs:
        libs = libraries(program)
        for lib in libs:
            if SANITIZER_RUNTIME.search(lib):
                continue  # the test build's own instrumentation; runtime images ship release builds

            package = owner(lib)
            checked += 1
            if package is None:
                problems.append(f"{Path(program).name} loads {lib}, which no Debian package owns")
            elif package not in allowed:
                problems.append(f"{Path(program).name} loads {lib} from {package}, missing from {args.packages}")
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"ok: {checked} shared libraries, all from {args.packages} or the slim base")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
