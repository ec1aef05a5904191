# hvkit: a thin driver over Meson; the build itself is in meson.build.
#
#   make          build host, x86_64 and aarch64
#   make check    install what is missing, build, run every test
#   make run      build and boot the default image with the demo guests
#   make sizes    text/data/bss of each freestanding library and image
#   make bench    every benchmark, as plain-text tables
#   make deps     install the Debian packages and freestanding sysroots
#
# Build directories: build/host, build/x86_64, build/aarch64, and
# build/host-sanitize (the host unit tests again, under ASan + UBSan).

MESON ?= meson
B := build
HOST := $(B)/host
SAN := $(B)/host-sanitize
X86 := $(B)/x86_64
ARM := $(B)/aarch64
BUILDS := $(HOST) $(X86) $(ARM)
SYSROOT := $(abspath $(B)/sysroot)
SETUP := $(MESON) setup -Dsysroot=$(SYSROOT)

.PHONY: all deps check run sizes bench format clean distclean

all: deps $(BUILDS:%=%/build.ninja)
	@for d in $(BUILDS); do ninja -C $$d --quiet || exit 1; done

deps:
	@scripts/install-deps $(SYSROOT)

# Configure each build directory once; Meson re-configures by itself when
# a meson.build changes.
$(HOST)/build.ninja: | deps
	$(SETUP) $(HOST) --native-file cross/native-clang.ini
$(SAN)/build.ninja: | deps
	$(SETUP) $(SAN) --native-file cross/native-clang.ini \
		-Db_sanitize=address,undefined -Db_lundef=false
$(X86)/build.ninja: | deps
	$(SETUP) $(X86) --cross-file cross/x86_64-none.ini
$(ARM)/build.ninja: | deps
	$(SETUP) $(ARM) --cross-file cross/aarch64-none.ini

check: all $(SAN)/build.ninja
	@ninja -C $(SAN) --quiet
	@scripts/run-tests $(HOST) $(SAN) $(X86) $(ARM)

run: all
	@echo "make run: no bootable image exists yet: images/ has no recipe." >&2
	@echo "make run: the AArch64 and x86_64 image issues add them; until then" >&2
	@echo "make run: 'make check' exercises the libraries on the host." >&2
	@exit 1

sizes: all
	@scripts/sizes $(X86) $(ARM)

bench: all
	@scripts/bench $(HOST)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILDS) $(SAN)

distclean:
	rm -rf $(B)
