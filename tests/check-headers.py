#!/usr/bin/env python3
"""Compile every public hvkit header alone, in C11 and (given --cxx) C++.

A header that needs another header first, leaks a warning under
-Wall -Wextra -Werror -pedantic, or is not C++-clean fails the check.
Headers are found on disk (libhv-*/include/hv/*.h), so a new one cannot
escape it.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

WARN = ["-Wall", "-Wextra", "-Werror", "-pedantic"]


def compile_alone(cmd, std, suffix, header, includes, flags, tmp):
    src = pathlib.Path(tmp) / ("check" + suffix)
    src.write_text(f"#include <hv/{header.name}>\n")
    args = cmd + [std] + WARN + flags + includes + ["-fsyntax-only", str(src)]
    r = subprocess.run(args, capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--cc", action="append", required=True)
    ap.add_argument("--cxx", action="append", default=[])
    ap.add_argument("--flag", action="append", default=[])
    a = ap.parse_args()

    root = pathlib.Path(a.source_root)
    headers = sorted(root.glob("libhv-*/include/hv/*.h"))
    if not headers:
        sys.exit("check-headers: no public headers found under " + str(root))
    includes = ["-I" + str(d) for d in sorted(root.glob("libhv-*/include"))]
    langs = [(a.cc, "-std=c11", ".c")]
    if a.cxx:
        langs.append((a.cxx, "-std=c++14", ".cpp"))

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for h in headers:
            for cmd, std, suffix in langs:
                ok, err = compile_alone(cmd, std, suffix, h, includes, a.flag, tmp)
                name = f"{h.relative_to(root)} ({std[5:]})"
                print(("ok     " if ok else "FAILED ") + name)
                if not ok:
                    failed += 1
                    print(err, end="")
    total = len(headers) * len(langs)
    print(f"headers: {total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
