#!/usr/bin/env python3
"""Write a full (non-thin) copy of a static archive.

  full-archive.py LLVM_AR OUT IN

Meson builds an archive that is not installed as a thin archive, which
names its object files instead of holding them, so a copy taken out of the
build tree cannot be linked.  OUT gets every member of IN, in order.
"""
import os
import subprocess
import sys


def main():
    ar, out, archive = sys.argv[1:]
    if os.path.exists(out):
        os.remove(out)  # 'q' appends to an existing archive
    subprocess.run([ar, "qcsL", out, archive], check=True)
    with open(out, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            sys.exit(f"full-archive: {out} is not a full archive")


if __name__ == "__main__":
    main()
