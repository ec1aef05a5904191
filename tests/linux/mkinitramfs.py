#!/usr/bin/env python3
"""Write a Linux initramfs (a "newc" cpio archive) holding a static busybox
as /bin/busybox, the given /init script, the directories it mounts, and
the /dev/console node the kernel opens for init (without it, init's
output is lost).  No cpio tool or root is needed.

  mkinitramfs.py OUT BUSYBOX INIT
"""
import stat
import sys


def main():
    out_path, busybox, init = sys.argv[1:4]
    ino = 0
    with open(out_path, "wb") as out:
        def entry(name, mode, data=b"", rdev=(0, 0)):
            nonlocal ino
            ino += 1
            namez = name.encode() + b"\0"
            fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                      rdev[0], rdev[1], len(namez), 0]
            out.write(b"070701" + "".join(f"{v:08x}" for v in fields).encode())
            out.write(namez + b"\0" * (-(110 + len(namez)) % 4))
            out.write(data + b"\0" * (-len(data) % 4))

        for d in ("dev", "bin", "proc", "sys"):
            entry(d, stat.S_IFDIR | 0o755)
        entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
        with open(busybox, "rb") as f:
            entry("bin/busybox", stat.S_IFREG | 0o755, f.read())
        with open(init, "rb") as f:
            entry("init", stat.S_IFREG | 0o755, f.read())
        entry("TRAILER!!!", 0)


if __name__ == "__main__":
    main()
