#!/usr/bin/env python3
"""Install an hvkit build into a temporary prefix and use it from outside.

  check-install.py --meson MESON --build BUILD_DIR --nm NM --cc CC
                   [--meson-project | --subproject SOURCE_DIR |
                    --freestanding ARCH --ld LD]

Runs `meson install --destdir` of BUILD_DIR, checks what arrived (every
archive full, not thin; a pkg-config file per archive; no libc names
defined by libhv-core; the Xen interface version enforced by the installed
headers), then builds examples/consumer against it with CC and pkg-config,
or with --meson-project through its own meson.build, and runs it.  With
--subproject it installs nothing: the consumer's meson.build gets the
libraries from SOURCE_DIR (hvkit) as a Meson subproject.  With
--freestanding (BUILD_DIR a freestanding build for ARCH, CC its compiler)
it checks lib/hvkit/ARCH/ instead, compiles freestanding.c with the
flags of its hv-sched.pc and links it with LD against the archives
pkg-config names, no libc: every symbol must resolve.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGES = ["hv-sched", "hv-evtchn"]


def fail(msg):
    sys.exit(f"check-install: {msg}")


def run(cmd, env=None, ok=True):
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if ok and r.returncode != 0:
        fail(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def install(a, tmp):
    """meson install into tmp; returns the libdir and pkg-config's env."""
    dest = os.path.join(tmp, "dest")
    run([a.meson, "install", "-C", a.build, "--destdir", dest,
         "--no-rebuild", "--quiet"])
    pcs = glob.glob(os.path.join(dest, "**", "pkgconfig", "hv-core.pc"),
                    recursive=True)
    if len(pcs) != 1:
        fail(f"expected one hv-core.pc under {dest}, found {pcs}")
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]),
               PKG_CONFIG_SYSROOT_DIR=dest)
    env.pop("PKG_CONFIG_LIBDIR", None)
    return os.path.dirname(os.path.dirname(pcs[0])), env


def check_archives(a, libdir, hosted=True):
    archives = sorted(glob.glob(os.path.join(libdir, "libhv-*.a")))
    if not archives:
        fail(f"no libhv-*.a in {libdir}")
    for ar in archives:
        with open(ar, "rb") as f:
            if f.read(8) != b"!<arch>\n":
                fail(f"{ar} is not a full archive (thin?)")
        pc = os.path.basename(ar)[3:-2] + ".pc"
        if not os.path.exists(os.path.join(libdir, "pkgconfig", pc)):
            fail(f"{ar} has no pkgconfig/{pc}")
    if not hosted:  # an image has no libc: libhv-core gives memcpy...
        print(f"{len(archives)} full archives, each with its .pc")
        return
    # A hosted program links libc: libhv-core must not define its names.
    out = run([a.nm, "--defined-only", "--extern-only",
               "--format=just-symbols",
               os.path.join(libdir, "libhv-core.a")]).stdout
    foreign = sorted({s for s in out.split()
                      if s and not s.endswith(":") and not s.startswith("hv_")})
    if foreign:
        fail(f"libhv-core.a defines names outside hv_: {' '.join(foreign)}")
    print(f"{len(archives)} full archives, each with its .pc; "
          "libhv-core defines only hv_* names")


def check_tool(tmp):
    """PREFIX/bin/hvkit runs, and its trace command runs the reader
    installed beside it: in a copy of the prefix whose reader is swapped
    for one that says so (the source tree's would answer too).  PREFIX is
    where bin/hvkit arrived (libdir may be lib/<triplet> under it)."""
    found = glob.glob(os.path.join(tmp, "dest", "**", "bin", "hvkit"),
                      recursive=True)
    if len(found) != 1:
        fail(f"expected one bin/hvkit under {tmp}/dest, found {found}")
    prefix = os.path.dirname(os.path.dirname(found[0]))
    moved = prefix + "-moved"
    shutil.copytree(prefix, moved, symlinks=True)
    hvkit = os.path.join(moved, "bin", "hvkit")
    r = run([hvkit, "--version"])
    if not r.stdout.startswith("hvkit "):
        fail(f"{hvkit} --version says {r.stdout!r}")
    reader = os.path.join(moved, "share", "hvkit", "hvkit_trace.py")
    if not os.path.isfile(reader):
        fail(f"no trace reader installed at {reader}")
    with open(reader, "w") as f:
        f.write("import sys\nprint('installed reader', sys.argv[1:])\n")
    r = run([hvkit, "trace", "x.bin"])
    if r.stdout != "installed reader ['x.bin']\n":
        fail(f"hvkit trace did not run {reader}: {r.stdout!r}")
    print("bin/hvkit runs, and hvkit trace the reader installed beside it")


def check_interface_version(a, env, tmp):
    """The installed headers refuse a missing or old Xen interface."""
    cflags = run(["pkg-config", "--cflags", "hv-evtchn"], env=env).stdout.split()
    define = "-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__"
    if define not in cflags:
        fail(f"pkg-config --cflags hv-evtchn lacks {define}: {cflags}")
    src = os.path.join(tmp, "xen_version.c")
    with open(src, "w") as f:
        f.write("#include <hv/evtchn.h>\n"
                "int op = __HYPERVISOR_event_channel_op;\n")
    bare = [c for c in cflags if c != define]
    cases = [("missing", bare, "define __XEN_INTERFACE_VERSION__"),
             ("old", bare + ["-D__XEN_INTERFACE_VERSION__=0x00030201"],
              "older than"),
             ("pkg-config's", cflags, None)]
    for what, flags, error in cases:
        r = run([a.cc, *flags, "-c", src, "-o", os.devnull], ok=False)
        if error is None and r.returncode != 0:
            fail(f"with {what} flags the header fails:\n{r.stderr}")
        if error is not None and (r.returncode == 0 or error not in r.stderr):
            fail(f"a {what} __XEN_INTERFACE_VERSION__ is not refused "
                 f"with '{error}':\n{r.stderr}")
    print("headers refuse a missing or old __XEN_INTERFACE_VERSION__")


def build_with_cc(a, env, tmp):
    flags = run(["pkg-config", "--cflags", "--libs", *PACKAGES],
                env=env).stdout.split()
    exe = os.path.join(tmp, "consumer")
    run([a.cc, "-Wall", "-Wextra", "-Werror", "-o", exe,
         os.path.join(HERE, "consumer.c"), *flags])
    return exe


def build_with_meson(a, env, tmp):
    build = os.path.join(tmp, "consumer-build")
    run([a.meson, "setup", build, HERE], env=env)
    run(["ninja", "-C", build], env=env)
    return os.path.join(build, "consumer")


def build_as_subproject(a, tmp):
    """The consumer's meson.build with hvkit as its subproject, no install."""
    top = os.path.join(tmp, "parent")
    sub = os.path.join(top, "subprojects")
    os.makedirs(sub)
    for f in ("meson.build", "consumer.c"):
        shutil.copy(os.path.join(HERE, f), top)
    # Meson wants every subproject, hvkit's own among them, at the top.
    os.symlink(a.source, os.path.join(sub, "hvkit"))
    for s in ("xen-abi", "libfdt"):
        os.symlink(os.path.join(a.source, "subprojects", s),
                   os.path.join(sub, s))
    build = os.path.join(top, "build")
    r = run([a.meson, "setup", "--wrap-mode=forcefallback", build, top])
    if "Subproject hvkit finished" not in r.stdout:
        fail(f"hvkit was not used as a subproject:\n{r.stdout}")
    run(["ninja", "-C", build, "consumer"])  # only what it links
    return os.path.join(build, "consumer")


def check_freestanding(a, tmp):
    libdir, env = install(a, tmp)
    if not libdir.endswith(os.path.join("hvkit", a.arch)):
        fail(f"freestanding archives in {libdir}, not lib/hvkit/{a.arch}")
    check_archives(a, libdir, hosted=False)
    cflags = run(["pkg-config", "--cflags", "hv-sched"], env=env).stdout
    if "-ffreestanding" not in cflags.split():
        fail(f"hv-sched.pc's Cflags lack the freestanding flags: {cflags}")
    obj = os.path.join(tmp, "freestanding.o")
    run([*a.cc.split(), "-Wall", "-Wextra", "-Werror", *cflags.split(),
         "-c", os.path.join(HERE, "freestanding.c"), "-o", obj])
    libs = run(["pkg-config", "--libs", "hv-sched"], env=env).stdout.split()
    elf = os.path.join(tmp, "freestanding.elf")
    run([a.ld, "-static", "--no-pie", "-e", "consumer_entry", "-o", elf,
         obj, *libs])
    undefined = run([a.nm, "--undefined-only", elf]).stdout.split()
    if undefined:
        fail(f"{elf} leaves symbols undefined: {' '.join(undefined)}")
    print(f"freestanding.c built with hv-sched.pc's flags and linked "
          f"against lib/hvkit/{a.arch} with no libc")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--meson", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--nm", required=True)
    p.add_argument("--cc", default="cc")
    p.add_argument("--meson-project", action="store_true")
    p.add_argument("--subproject", dest="source")
    p.add_argument("--freestanding", dest="arch")
    p.add_argument("--ld")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="hvkit-install-") as tmp:
        if a.arch:
            check_freestanding(a, tmp)
            return
        if a.source:
            exe = build_as_subproject(a, tmp)
        elif a.meson_project:
            exe = build_with_meson(a, install(a, tmp)[1], tmp)
        else:
            libdir, env = install(a, tmp)
            check_archives(a, libdir)
            check_tool(tmp)
            check_interface_version(a, env, tmp)
            exe = build_with_cc(a, env, tmp)
        r = run([exe], ok=False)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            fail(f"consumer exited with {r.returncode}:\n{r.stderr}")


if __name__ == "__main__":
    main()
