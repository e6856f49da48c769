#!/usr/bin/env python3
"""Fails when a module includes a module above it (DESIGN §2: arrows only downwards).

Layers, lowest first; a module may include its own headers and those of lower layers only, and a
pure module (warroom_core) never includes an I/O one. Run by the build (target `layering`) and by
ctest, so a wrong include breaks the build instead of the architecture.
"""
import pathlib
import re
import sys

LAYERS = [
    ["util", "domain"],
    ["config", "webhook", "api", "store"],
    ["retry", "net", "telemetry", "doctor"],
    ["pipelines"],
    ["routes"],
    ["runtime"],
]
PURE = {"util", "domain", "config", "webhook", "api", "retry", "doctor"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]warroom/([a-z_]+)/([^>"]+)[>"]', re.M)


def main(root: pathlib.Path) -> int:
    rank = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    problems = []
    for module, level in rank.items():
        for folder in (root / "src" / module, root / "include" / "warroom" / module):
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                if path.suffix not in {".hpp", ".cpp", ".h", ".cmake"} or not path.is_file():
                    continue
                for target, header in INCLUDE.findall(path.read_text(errors="replace")):
                    if target == module:
                        continue
                    where = path.relative_to(root)
                    if target not in rank:
                        problems.append(f"{where}: includes warroom/{target}/{header}, a folder "
                                        f"with no layer (add it to {pathlib.Path(__file__).name})")
                    elif rank[target] >= level:
                        problems.append(f"{where}: {module} includes warroom/{target}/{header}, "
                                        f"which is not below it")
                    elif module in PURE and target not in PURE:
                        problems.append(f"{where}: pure module {module} includes the I/O module "
                                        f"warroom/{target}/{header}")
    unknown = sorted(p.name for p in (root / "src").iterdir()
                     if p.is_dir() and p.name not in rank)
    for name in unknown:
        problems.append(f"src/{name}: a module with no layer (add it to "
                        f"{pathlib.Path(__file__).name})")
    for line in problems:
        print(f"layering: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
