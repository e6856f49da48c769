#!/usr/bin/env python3
"""Installs the build tree into a fresh staging prefix (`cmake --install --strip`, as docker/build.sh does) and
checks the tree against install_layout.json: every program built is installed stripped (no symbol table, no debug
sections) and runs, the unit names this prefix's binary, the docs are there, and nothing else is installed. The staged tree is left for DockerfileConsistency (ctest fixture `warroom_stage`)."""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path


def installed_files(stage: Path) -> set[str]:
    return {str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file() or p.is_symlink()}


def unstripped_sections(program: Path) -> list[str]:
    """Names of the ELF64 sections that `strip` removes (.symtab, .debug_*) still in the file."""
    data = program.read_bytes()
    if data[:5] != b"\x7fELF\x02":
        return ["(not an ELF64 file)"]
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_offset = headers[shstrndx][4]
    names = [data[strtab_offset + h[0]:data.index(b"\0", strtab_offset + h[0])].decode() for h in headers]
    return [n for n in names if n == ".symtab" or n.startswith(".debug_")]


def check_programs(layout: dict, stage: Path, problems: list[str]) -> set[str]:
    expected = set()
    for name, built in layout["programs"].items():
        installed = stage / layout["bindir"] / name
        if not Path(built).exists():
            if name == "warroomd":
                problems.append(f"{built} is not built: build the warroomd target first")
            continue  # warroom-sim is installed OPTIONAL: a warroomd-only build is complete
        expected.add(str(installed.relative_to(stage)))
        if not os.access(installed, os.X_OK):
            problems.append(f"{installed} is missing or not executable")
        elif left := unstripped_sections(installed):
            problems.append(f"{installed} is not stripped: {', '.join(left[:4])}")
    warroomd = stage / layout["bindir"] / "warroomd"
    if os.access(warroomd, os.X_OK):
        run = subprocess.run([warroomd, "--version"], capture_output=True, text=True, timeout=30)
        if run.returncode != 0 or "warroomd" not in run.stdout or layout["version"] not in run.stdout:
            problems.append(f"`{warroomd} --version` gave {run.returncode}: {run.stdout!r} {run.stderr!r}")
    return expected


def check_unit(layout: dict, source: Path, stage: Path, problems: list[str]) -> str:
    unit = Path(layout["unitdir"]) / "warroomd.service"
    installed = stage / unit
    if not installed.is_file():
        problems.append(f"{installed} is missing")
        return str(unit)
    text = installed.read_text()
    binary = f"{layout['full_bindir']}/warroomd"
    for line in (f"ExecStartPre={binary} --check --config /etc/warroom/warroom.yaml",
                 f"ExecStart={binary} --config /etc/warroom/warroom.yaml"):
        if line not in text.splitlines():
            problems.append(f"{installed} lacks '{line}'")
    # Apart from the two rewritten paths, the installed unit is the one in the tree (which SystemdUnit checks).
    original = (source / layout["unit_source"]).read_text()
    rewritten = original.replace("/usr/bin/warroomd", binary).replace("/usr/share/doc/warroom", layout["full_docdir"])
    if text != rewritten:
        problems.append(f"{installed} differs from {layout['unit_source']} beyond the install paths")
    return str(unit)


def check_docs(layout: dict, source: Path, stage: Path, problems: list[str]) -> set[str]:
    expected = set()
    present_optional = [d for d in layout["optional_docs"] if (source / d).is_file()]
    for doc in layout["docs"] + present_optional:
        installed = stage / layout["docdir"] / Path(doc).name
        expected.add(str(installed.relative_to(stage)))
        if not installed.is_file() or installed.read_bytes() != (source / doc).read_bytes():
            problems.append(f"{installed} is missing or differs from {doc}")
    for doc in set(layout["optional_docs"]) - set(present_optional):
        print(f"note: {doc} is not in the tree yet, so it is not installed")
    return expected


def main() -> int:
    parser = argparse.ArgumentParser()
    for flag in ("--cmake", "--source", "--build", "--layout", "--stage"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    source, stage = Path(args.source), Path(args.stage)
    layout = json.loads(Path(args.layout).read_text())

    shutil.rmtree(stage, ignore_errors=True)
    run = subprocess.run([args.cmake, "--install", args.build, "--prefix", str(stage), "--strip"],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        print(run.stdout, run.stderr, sep="\n")
        print(f"FAIL: cmake --install {args.build} --prefix {stage} --strip exited {run.returncode}")
        return 1

    problems: list[str] = []
    expected = check_programs(layout, stage, problems)
    expected.add(check_unit(layout, source, stage, problems))
    expected |= check_docs(layout, source, stage, problems)
    actual = installed_files(stage)
    problems += [f"installed but not in the layout: {f}" for f in sorted(actual - expected)]
    problems += [f"missing from the install tree: {f}" for f in sorted(expected - actual)]
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"ok: {len(actual)} files installed under {stage}: " + ", ".join(sorted(actual)))
        for name in layout["programs"]:
            if (program := stage / layout["bindir"] / name).exists():
                print(f"ok: {name} stripped, {program.stat().st_size / 1e6:.1f} MB")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
