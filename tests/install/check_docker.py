#!/usr/bin/env python3
"""Keeps docker/Dockerfile and docker/compose.yaml consistent with the repository, since no Docker engine runs
in CI: the build stage runs exactly scripts/bootstrap.sh and docker/build.sh, whose cmake commands are the
`release` preset's configure/build and the `cmake --install` that InstallLayout runs (its staged tree is checked
against what the runtime stage copies); the runtime stage installs exactly scripts/packages-runtime.txt (the
image's own extraction command is run on the real file); COPY and compose paths exist; compose services and
volumes resolve."""
import argparse
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

BUILD_RUNS = ["./scripts/bootstrap.sh", "./docker/build.sh /staging"]
BUILD_SH_CMAKE = [
    'cmake --preset release -DWARROOM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null',
    "cmake --build --preset release --target warroom_programs",
    'cmake --install build/release --prefix "$stage" --strip',
]
# Top-level directories the image build does not need; every other one, the CMake inputs at the top and the docs
# that cmake/install.cmake installs must be copied into the build stage.
NOT_COPIED = {".ci", ".git", "bench", "build", "out", ".cache", "docker", "scripts"}
CONFIG = "/etc/warroom/warroom.yaml"


class Checker:
    def __init__(self, source: Path):
        self.source = source
        self.problems: list[str] = []

    def expect(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.problems.append(problem)
        return ok


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    result, pending = [], ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        line, pending = pending + line, ""
        keyword, _, args = line.partition(" ")
        result.append((keyword.upper(), args.strip()))
    return result


def stages(items: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for keyword, args in items:
        if keyword == "FROM":
            out.append([])
        if out:
            out[-1].append((keyword, args))
    return out


def copies(stage: list[tuple[str, str]]) -> list[tuple[str | None, list[str], str]]:
    """(--from value or None, sources, destination) per COPY."""
    result = []
    for keyword, args in stage:
        if keyword != "COPY":
            continue
        words = shlex.split(args)
        flags = [w for w in words if w.startswith("--")]
        paths = [w for w in words if not w.startswith("--")]
        origin = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
        result.append((origin, paths[:-1], paths[-1]))
    return result


def needed_top_level(source: Path, layout: dict) -> set[str]:
    run = subprocess.run(["git", "-C", str(source), "ls-files"], capture_output=True, text=True)
    if run.returncode == 0 and run.stdout:
        dirs = {line.split("/", 1)[0] for line in run.stdout.splitlines() if "/" in line}
    else:
        dirs = {p.name for p in source.iterdir() if p.is_dir()}
    cmake_inputs = {p.name for p in source.glob("CMake*.txt")} | {p.name for p in source.glob("CMake*.json")}
    return (dirs - NOT_COPIED) | cmake_inputs | set(layout["docs"])


def check_build_stage(c: Checker, stage: list[tuple[str, str]], layout: dict) -> None:
    c.expect(stage[0] == ("FROM", "debian:bookworm AS build"), f"build stage starts with {stage[0]}")
    runs = [args for keyword, args in stage if keyword == "RUN"]
    c.expect(runs == BUILD_RUNS, f"build stage RUNs {runs}, expected exactly {BUILD_RUNS}")
    copied: set[str] = set()
    for keyword, args in stage:
        if keyword == "RUN":
            # What each RUN executes must have been copied in before it runs.
            script = args.split()[0].removeprefix("./")
            needs = [script] + (["scripts/packages-build.txt"] if "bootstrap" in script else [])
            for need in needs:
                c.expect(any(need == p or need.startswith(p.rstrip("/") + "/") for p in copied),
                         f"build stage runs {script} before copying {need}")
        for origin, sources, _ in copies([(keyword, args)]):
            for path in sources:
                c.expect(origin is None and (c.source / path).exists(), f"build stage COPYs missing {path}")
                copied.add(path.rstrip("/") or ".")
    for entry in sorted(needed_top_level(c.source, layout)):
        c.expect(any(p == entry or p.startswith(entry + "/") for p in copied),
                 f"top-level '{entry}' is not copied into the build stage (add it, or to NOT_COPIED if unneeded)")


def check_build_script(c: Checker) -> None:
    script = (c.source / "docker/build.sh").read_text().splitlines()
    cmake = [line.strip() for line in script if line.strip().startswith("cmake ")]
    c.expect(cmake == BUILD_SH_CMAKE, f"docker/build.sh runs {cmake}, expected {BUILD_SH_CMAKE}")
    presets = json.loads((c.source / "CMakePresets.json").read_text())
    configure = {p["name"]: p for p in presets["configurePresets"]}
    build = {p["name"]: p for p in presets["buildPresets"]}
    if c.expect("release" in configure and "release" in build, "CMakePresets.json lacks the release preset"):
        c.expect(build["release"]["configurePreset"] == "release", "build preset release must configure release")
        chain, binary_dir = configure["release"], None
        while binary_dir is None and chain:
            binary_dir = chain.get("binaryDir")
            chain = configure.get(chain.get("inherits", ""))
        c.expect(binary_dir == "${sourceDir}/build/${presetName}",
                 f"release preset builds in {binary_dir}, but docker/build.sh installs from build/release")


def check_runtime_stage(c: Checker, stage: list[tuple[str, str]], staged: Path, layout: dict) -> None:
    c.expect(stage[0] == ("FROM", "debian:bookworm-slim"), f"runtime stage starts with {stage[0]}")
    lists = [(s, d) for o, srcs, d in copies(stage) if o is None for s in srcs if s.endswith("packages-runtime.txt")]
    runs = [args for keyword, args in stage if keyword == "RUN" and "apt-get install" in args]
    if c.expect(len(lists) == 1 and len(runs) == 1, "runtime stage must COPY packages-runtime.txt once and "
                "install packages in one RUN"):
        check_package_install(c, lists[0], runs[0])
    for origin, sources, dest in copies(stage):
        for path in sources:
            if origin is None:
                c.expect((c.source / path).exists(), f"runtime stage COPYs missing {path}")
            elif c.expect(origin == "build" and path.startswith("/staging/"), f"COPY --from={origin} {path}"):
                c.expect((staged / path.removeprefix("/staging/")).exists(),
                         f"runtime stage COPYs {path}, which `cmake --install` does not produce")
    bin_copy = [d for o, srcs, d in copies(stage) if o == "build" for s in srcs
                if s.rstrip("/") == f"/staging/{layout['bindir']}"]
    c.expect(bin_copy == ["/usr/local/bin/"], f"programs must land in /usr/local/bin (on PATH), not {bin_copy}")
    check_runtime_settings(c, dict((k, a) for k, a in stage if k != "RUN"), stage)


def check_package_install(c: Checker, listed: tuple[str, str], run: str) -> None:
    source, dest = listed
    for needed in ("apt-get update", "--no-install-recommends", "rm -rf /var/lib/apt/lists/*", "xargs apt-get install"):
        c.expect(needed in run, f"runtime package RUN lacks '{needed}'")
    # Run the image's own extraction of the package names on the real file and compare with the list.
    extract = next((part for part in re.split(r"&&|\|", run) if dest in part), None)
    if not c.expect(extract is not None, f"runtime package RUN does not read {dest}"):
        return
    command = extract.replace(dest, shlex.quote(str(c.source / source)))
    got = subprocess.run(["bash", "-c", command], capture_output=True, text=True).stdout.split()
    lines = ((c.source / source).read_text().splitlines())
    want = [w for line in lines for w in line.split("#", 1)[0].split()]
    c.expect(got == want, f"the image would install {got}, but {source} lists {want}")


def check_runtime_settings(c: Checker, last: dict, stage: list[tuple[str, str]]) -> None:
    runs = " ".join(args for keyword, args in stage if keyword == "RUN")
    c.expect("useradd --system" in runs and " warroom" in runs, "runtime stage must add a system user warroom")
    c.expect(last.get("USER") == "warroom", f"runtime stage runs as {last.get('USER')}, not warroom")
    c.expect(last.get("VOLUME") == "/var/lib/warroom", "runtime stage must declare VOLUME /var/lib/warroom")
    c.expect(last.get("EXPOSE") == "8080", "runtime stage must EXPOSE 8080")
    c.expect(json_list(last.get("ENTRYPOINT")) == ["warroomd"], "ENTRYPOINT must be [\"warroomd\"]")
    c.expect(json_list(last.get("CMD")) == ["--config", CONFIG], f"CMD must be --config {CONFIG}")
    health = last.get("HEALTHCHECK", "")
    probe = json_list(health.split(" CMD ", 1)[1]) if " CMD " in health else None
    healthcheck_copied = any(d == f"/usr/local/bin/{probe[0]}" and "docker/healthcheck.sh" in s
                             for o, s, d in copies(stage) if o is None) if probe else False
    c.expect(healthcheck_copied, f"HEALTHCHECK {health!r} must run docker/healthcheck.sh copied to /usr/local/bin")


def json_list(text: str | None) -> list | None:
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None


def check_compose(c: Checker, yaml_to_json: str, layout: dict, staged: Path) -> None:
    compose_file = c.source / "docker/compose.yaml"
    run = subprocess.run([yaml_to_json, str(compose_file)], capture_output=True, text=True)
    if not c.expect(run.returncode == 0, f"docker/compose.yaml does not parse: {run.stderr}"):
        return
    compose, base = json.loads(run.stdout), compose_file.parent
    services, volumes = compose.get("services", {}), compose.get("volumes") or {}
    c.expect({"warroomd", "warroom-sim"} <= services.keys(), f"compose services are {sorted(services)}")
    built_images = {s.get("image") for s in services.values() if "build" in s}
    for name, service in services.items():
        build = service.get("build")
        if build:
            context = base / build["context"]
            c.expect((context / build["dockerfile"]).is_file(), f"{name}: no Dockerfile {build['dockerfile']}")
        else:
            c.expect(service.get("image") in built_images, f"{name}: image {service.get('image')} is not built here")
        program = (service.get("entrypoint") or ["warroomd"])[0]
        c.expect(program in layout["known_programs"], f"{name}: entrypoint {program} is not a program we install")
        if program in layout["programs"] and Path(layout["programs"][program]).exists():
            c.expect((staged / layout["bindir"] / program).exists(), f"{name}: {program} is not installed")
        elif program not in layout["programs"]:
            print(f"note: {name} runs {program}, which this build tree does not have yet")
        for dep in list(service.get("depends_on") or []):
            c.expect(dep in services, f"{name}: depends_on unknown service {dep}")
        mode = service.get("network_mode", "")
        if mode.startswith("service:"):
            c.expect(mode.split(":", 1)[1] in services, f"{name}: network_mode names an unknown service")
        check_compose_volumes(c, name, service, base, volumes, layout)


def check_compose_volumes(c: Checker, name: str, service: dict, base: Path, volumes: dict, layout: dict) -> None:
    mounts = {}
    for volume in service.get("volumes") or []:
        src, dest = volume.split(":")[:2]
        mounts[dest] = src
        if src.startswith((".", "/")):
            path = (base / src).resolve()
            rel = path.relative_to(c.source.resolve()) if path.is_relative_to(c.source.resolve()) else None
            if not path.exists() and str(rel) in layout["optional_docs"]:
                print(f"note: {name} mounts {rel}, which is not in the tree yet")
                continue
            c.expect(path.exists(), f"{name}: bind mount source {src} does not exist")
        else:
            c.expect(src in volumes, f"{name}: named volume {src} is not declared")
    command = service.get("command") or []
    if "--config" in command:
        config = command[command.index("--config") + 1]
        c.expect(config in mounts, f"{name}: --config {config} is not mounted")
        check_config_env(c, name, base / mounts.get(config, ""), service.get("environment") or {})


def check_config_env(c: Checker, name: str, config: Path, environment: dict) -> None:
    if not config.is_file():
        return
    for variable in sorted(set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", config.read_text()))):
        c.expect(variable in environment, f"{name}: {config.name} uses ${{{variable}}}, not set in compose")


def main() -> int:
    parser = argparse.ArgumentParser()
    for flag in ("--source", "--layout", "--stage", "--yaml-to-json"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    c = Checker(Path(args.source))
    layout = json.loads(Path(args.layout).read_text())
    staged = Path(args.stage)
    if not (staged / layout["bindir"] / "warroomd").exists():
        print(f"FAIL: {staged} holds no install tree (InstallLayout sets it up)")
        return 1
    parsed = stages(instructions(c.source / "docker/Dockerfile"))
    if c.expect(len(parsed) == 2, f"docker/Dockerfile has {len(parsed)} stages, expected build and runtime"):
        check_build_stage(c, parsed[0], layout)
        check_runtime_stage(c, parsed[1], staged, layout)
    check_build_script(c)
    check_compose(c, args.yaml_to_json, layout, staged)
    for problem in c.problems:
        print(f"FAIL: {problem}")
    if not c.problems:
        print("ok: docker/Dockerfile and docker/compose.yaml agree with the repository")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
