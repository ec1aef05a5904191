#!/usr/bin/env python3
"""The ELF vmlinux inside an x86 bzImage, for PVH boot.

    vmlinux-from-bzimage.py BZIMAGE OUT

Debian ships its amd64 Linux as a bzImage (/boot/vmlinuz-*): a real-mode
setup, then a small decompressor that carries the compressed kernel as
its payload.  A PVH loader (hvkit's bundle, like Xen's) enters the kernel
at the XEN_ELFNOTE_PHYS32_ENTRY note of the ELF vmlinux, which only the
payload has.  The x86 boot protocol (Documentation/x86/boot.rst) says
where the payload is: setup_sects at 0x1f1 (0 meaning 4), and, from
protocol 2.08, payload_offset at 0x248 and payload_length at 0x24c,
relative to the protected-mode code that starts after the setup, at
(setup_sects + 1) * 512.  Debian compresses it with xz; any other
compression is refused, naming it.
"""

import lzma
import struct
import sys

HEADER_MAGIC = b'HdrS'   # at 0x202
MIN_PROTOCOL = 0x208     # the first with payload_offset/_length
ELF_MAGIC = b'\x7fELF'

# The first bytes of each compressed format the kernel's build may use.
COMPRESSIONS = [
    (b'\xfd7zXZ\x00', 'xz'),
    (b'\x1f\x8b', 'gzip'),
    (b'BZh', 'bzip2'),
    (b'\x5d\x00\x00', 'lzma'),
    (b'\x89LZO', 'lzo'),
    (b'\x02\x21\x4c\x18', 'lz4'),
    (b'\x28\xb5\x2f\xfd', 'zstd'),
]


class Error(Exception):
    pass


def payload(image):
    """The compressed payload's bytes."""
    if len(image) < 0x250 or image[0x202:0x206] != HEADER_MAGIC:
        raise Error('not a bzImage (no "HdrS" boot header at 0x202)')
    protocol = struct.unpack_from('<H', image, 0x206)[0]
    if protocol < MIN_PROTOCOL:
        raise Error('boot protocol %#x has no payload fields (needs %#x)'
                    % (protocol, MIN_PROTOCOL))
    setup_sects = image[0x1f1] or 4
    offset, length = struct.unpack_from('<II', image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    if length == 0 or start + length > len(image):
        raise Error('payload of %d bytes at %#x lies outside the %d-byte file'
                    % (length, start, len(image)))
    return image[start:start + length]


def decompress(data):
    for magic, name in COMPRESSIONS:
        if data.startswith(magic):
            break
    else:
        raise Error('payload starts %s: no compression known' % data[:6].hex())
    if name != 'xz':
        raise Error('payload is %s-compressed; only xz (Debian\'s) is read'
                    % name)
    # The decompressor's size trailer may follow the stream: read only
    # the first xz stream.
    try:
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    except lzma.LZMAError as e:
        raise Error('xz payload does not decompress: %s' % e)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    src, out = sys.argv[1:]
    try:
        with open(src, 'rb') as f:
            vmlinux = decompress(payload(f.read()))
        if not vmlinux.startswith(ELF_MAGIC):
            raise Error('the payload is not an ELF file')
    except (Error, OSError) as e:
        sys.exit('vmlinux-from-bzimage: %s: %s' % (src, e))
    with open(out, 'wb') as f:
        f.write(vmlinux)


if __name__ == '__main__':
    main()
