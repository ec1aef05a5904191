#!/usr/bin/env python3
"""The examples `hvkit run --help` gives must run as printed.

  run-help-examples.py --hvkit HVKIT --build BUILD_ROOT --prefix PREFIX

Takes the Examples section of `hvkit run --help`, joins its continued
lines, keeps the commands whose image names start with PREFIX (arm64- or
x86-: those of this build's architecture) and runs each with sh in a
scratch directory that looks like the top of the tree (./hvkit and
build/ are links), so what they write stays there.  Every one must exit
0.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def examples(help_text):
    lines, inside, cmd = [], False, ""
    for line in help_text.splitlines():
        if line.startswith("Examples"):
            inside = True
            continue
        if inside and not line.strip():
            break
        if inside:
            cmd += line.strip()
            if cmd.endswith("\\"):
                cmd = cmd[:-1] + " "
            else:
                lines.append(cmd)
                cmd = ""
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hvkit", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--prefix", required=True)
    a = ap.parse_args()
    text = subprocess.run([a.hvkit, "run", "--help"], check=True,
                          capture_output=True, text=True).stdout
    mine = [c for c in examples(text) if f" {a.prefix}" in c]
    if not mine:
        sys.exit(f"run-help-examples: no {a.prefix}* example in --help")
    with tempfile.TemporaryDirectory(prefix="hvkit-help-") as top:
        os.symlink(a.hvkit, os.path.join(top, "hvkit"))
        os.symlink(a.build, os.path.join(top, "build"))
        for cmd in mine:
            r = subprocess.run(["sh", "-c", cmd], cwd=top,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, timeout=120)
            print(f"$ {cmd}\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
            if r.returncode != 0:
                sys.exit(f"run-help-examples: exited {r.returncode}: {cmd}")
    print(f"run-help-examples: {len(mine)} examples ran")


if __name__ == "__main__":
    main()
