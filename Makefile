# hvkit: a thin driver over Meson; the build itself is in meson.build.
#
#   make          build host, x86_64 and aarch64
#   make check    install what is missing, build, run every test
#   make run      build and boot the default image with the demo guests
#   make sizes    text/data/bss of each freestanding library and image
#   make bench    every benchmark, as plain-text tables
#   make deps     install the Debian packages and freestanding sysroots
#   make install  the libraries' headers, archives and pkg-config files
#                 into PREFIX (default /usr/local; DESTDIR is honoured)
#   make fuzz     run every libFuzzer harness FUZZ_SECONDS (60) seconds
#   make docs     the API reference (Doxygen) in build/docs/html
#
# Build directories: build/host, build/x86_64, build/aarch64, and
# build/host-sanitize (the host unit tests again, under ASan + UBSan), and
# build/fuzz (libraries with libFuzzer's coverage, the harnesses).

MESON ?= meson
B := build
HOST := $(B)/host
SAN := $(B)/host-sanitize
X86 := $(B)/x86_64
ARM := $(B)/aarch64
BUILDS := $(HOST) $(X86) $(ARM)
SYSROOT := $(abspath $(B)/sysroot)
SETUP := $(MESON) setup -Dsysroot=$(SYSROOT)
# Set-up and build output goes to logs, shown only when a step fails
# (build/<dir>.setup.log, build/<dir>/build.log).  NINJAFLAGS=-j2 limits
# the build's parallelism.
QUIETLY := scripts/quietly
export NINJAFLAGS

.PHONY: all deps check run sizes bench install fuzz docs format clean distclean

all: deps $(BUILDS:%=%/build.ninja)
	@for d in $(BUILDS); do $(QUIETLY) --ninja $$d || exit 1; done

deps:
	@scripts/install-deps $(SYSROOT)

# Configure each build directory once; Meson re-configures by itself when
# a meson.build changes.
SETUP_LOG = $(@D).setup.log "setting up $(@D)"
$(HOST)/build.ninja: | deps
	@$(QUIETLY) $(SETUP_LOG) $(SETUP) $(HOST) --native-file cross/native-clang.ini
$(SAN)/build.ninja: | deps
	@$(QUIETLY) $(SETUP_LOG) $(SETUP) $(SAN) --native-file cross/native-clang.ini \
		-Db_sanitize=address,undefined -Db_lundef=false
# The freestanding builds' QEMU tests run the host build's hvkit tool.
HVKIT := $(abspath $(HOST))/tools/hvkit/hvkit
$(X86)/build.ninja: | deps
	@$(QUIETLY) $(SETUP_LOG) $(SETUP) $(X86) --cross-file cross/x86_64-none.ini -Dhvkit=$(HVKIT)
$(ARM)/build.ninja: | deps
	@$(QUIETLY) $(SETUP_LOG) $(SETUP) $(ARM) --cross-file cross/aarch64-none.ini -Dhvkit=$(HVKIT)

# libFuzzer needs every library compiled with its coverage hooks.
FUZZ := $(B)/fuzz
FUZZ_SECONDS ?= 60
$(FUZZ)/build.ninja: | deps
	$(SETUP) $(FUZZ) --native-file cross/native-clang.ini \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link -Dfuzzing=true

# One line per test and the summary; each test's output stays in
# BUILD/meson-logs/testlog.txt.
check: all $(SAN)/build.ninja
	@$(QUIETLY) --ninja $(SAN)
	@scripts/run-tests $(HOST) $(SAN) $(X86) $(ARM)

# The default image and its two demo guests (examples/guests/).
RUN_IMAGE := arm64-mini
RUN_GUESTS := $(ARM)/examples/guests/aarch64/hello-a.cfg \
	$(ARM)/examples/guests/aarch64/hello-b.cfg
run: all
	@$(HVKIT) run $(RUN_IMAGE) $(RUN_GUESTS)

sizes: all
	@scripts/sizes $(X86) $(ARM)

bench: all
	@scripts/bench $(HOST) $(ARM) $(X86)

# The libraries (install/meson.build): the host build's, for programs of
# your own: PREFIX/include/hv, PREFIX/lib/libhv-*.a, PREFIX/lib/pkgconfig;
# and each freestanding build's, for images of your own:
# PREFIX/lib/hvkit/ARCH/libhv-*.a and PREFIX/lib/hvkit/ARCH/pkgconfig.
PREFIX ?= /usr/local
install: all
	@for d in $(BUILDS); do \
		$(MESON) configure $$d -Dprefix=$(abspath $(PREFIX)) -Dlibdir=lib >/dev/null && \
		$(QUIETLY) --ninja $$d && \
		$(MESON) install -C $$d --no-rebuild --quiet || exit 1; \
	done
	@echo "hvkit: installed in $(DESTDIR)$(abspath $(PREFIX));" \
		"PKG_CONFIG_PATH=$(abspath $(PREFIX))/lib/pkgconfig pkg-config --libs hv-sched;" \
		"images: $(abspath $(PREFIX))/lib/hvkit/ARCH/pkgconfig"

fuzz: $(FUZZ)/build.ninja
	@ninja -C $(FUZZ) --quiet fuzzers
	@scripts/fuzz $(FUZZ) $(FUZZ_SECONDS)

# The API reference from the public headers (docs/Doxyfile).
docs: deps
	@mkdir -p $(B)/docs
	@doxygen docs/Doxyfile
	@echo "hvkit: the API reference is $(B)/docs/html/index.html"

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILDS) $(SAN) $(FUZZ) $(B)/*.setup.log

distclean:
	rm -rf $(B)
