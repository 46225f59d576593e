# sasguard - see README.md. `make` builds ./sasguard (static). `make check`
# is the quick suite (about a minute); `make check-all` adds the sanitizers,
# valgrind and the fuzzers. Both first install what a fresh Debian machine
# lacks for them (install.sh --test-deps: quiet when nothing is missing).

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes
DEFINES = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DPCRE2_CODE_UNIT_WIDTH=8
ALL_CFLAGS = $(WARNINGS) $(DEFINES) -Ilib $(CFLAGS)
# Both libraries are linked from Debian's static archives, and the whole
# binary is static: no dynamic loading at start-up.
LDLIBS = -l:libpcre2-8.a -l:libinih.a
STATIC = -static

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:.c=.o)
HEADERS = $(wildcard lib/*.h)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_T = $(UNIT_SRC:.c=.t)
SHELL_T = $(sort $(wildcard tests/*.t tests/e2e/*.t))

all: sasguard

# The git room (cli/): the subcommands the hooks run, git's argv table.
CLI_SRC = $(sort $(wildcard cli/*.c))
CLI_OBJ = $(CLI_SRC:.c=.o)
CLI_HEADERS = $(wildcard cli/*.h)

sasguard: hook/main.o $(CLI_OBJ) libsasguard.a
	$(CC) $(ALL_CFLAGS) $(STATIC) $(LDFLAGS) -o $@ hook/main.o \
		$(CLI_OBJ) libsasguard.a $(LDLIBS)

hook/main.o $(CLI_OBJ): $(CLI_HEADERS)
hook/main.o $(CLI_OBJ): ALL_CFLAGS += -Icli

libsasguard.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

%.o: %.c $(HEADERS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default rule set is embedded with .incbin: rebuild when it changes.
lib/rules.o: rules/default.ini

tests/unit/%.t: tests/unit/%.c tests/unit/tap.h libsasguard.a
	$(CC) $(ALL_CFLAGS) $(STATIC) $(LDFLAGS) -o $@ $< libsasguard.a \
		$(LDLIBS)

units: $(UNIT_T)

# ---- Tests (issue 14) -------------------------------------------------
# check: the quick suite, two at a time (the machine has two cores), with
# the toolchain the tests need installed first only if missing. check-all:
# the same, then ASan/UBSan, valgrind and the fuzzers (CI runs it).
PROVE_JOBS ?= 2
check:
	@sh ./install.sh --test-deps
	@$(MAKE) --no-print-directory all units
	prove -j$(PROVE_JOBS) --exec '' $(addprefix ./,$(UNIT_T) $(SHELL_T))
	@$(MAKE) --no-print-directory check-paths
# The reader's other paths, which this machine's AVX2 would hide: the
# diff and split unit tests built with SSE2 alone and with no SIMD.
PATH_UNITS = diff split
PATH_SRC = lib/diff.c lib/anchor.c
build/sse2/%.t: tests/unit/%.c tests/unit/tap.h $(PATH_SRC) libsasguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DDIFF_NO_AVX2 -o $@ $< $(PATH_SRC) libsasguard.a \
		$(LDLIBS)
build/scalar/%.t: tests/unit/%.c tests/unit/tap.h $(PATH_SRC) libsasguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DDIFF_NO_SIMD -o $@ $< $(PATH_SRC) libsasguard.a \
		$(LDLIBS)
check-paths: $(PATH_UNITS:%=build/sse2/%.t) $(PATH_UNITS:%=build/scalar/%.t)
	prove --exec '' $(addprefix ./,$^)
check-all: check
	@$(MAKE) --no-print-directory check-asan check-valgrind check-fuzz

# ---- Memory safety (issue 6) ------------------------------------------
# The whole suite again with AddressSanitizer and UBSan (clang, linked
# dynamically: the sanitizer runtimes need it), the unit tests under
# valgrind (dynamic too: valgrind cannot see malloc in a static binary),
# and each libFuzzer target for FUZZ_SECONDS plus a replay of every input
# that ever crashed one (tests/fuzz/regressions/TARGET/).
SAN_CC = clang
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
SAN = build/san
FUZZ = build/fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = $(basename $(notdir $(wildcard tests/fuzz/*.c)))
VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=all --show-leak-kinds=all

$(SAN)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(SAN_CC) $(WARNINGS) $(DEFINES) -Ilib $(SAN_FLAGS) -c -o $@ $<
$(SAN)/lib/rules.o $(FUZZ)/lib/rules.o: rules/default.ini
$(SAN)/libsasguard.a: $(LIB_SRC:%.c=$(SAN)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(SAN)/hook/main.o $(CLI_SRC:%.c=$(SAN)/%.o): $(CLI_HEADERS)
$(SAN)/hook/main.o $(CLI_SRC:%.c=$(SAN)/%.o): SAN_FLAGS += -Icli
$(SAN)/sasguard: $(SAN)/hook/main.o $(CLI_SRC:%.c=$(SAN)/%.o) \
		$(SAN)/libsasguard.a
	$(SAN_CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)
$(SAN)/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h $(SAN)/libsasguard.a
	@mkdir -p $(@D)
	$(SAN_CC) $(WARNINGS) $(DEFINES) -Ilib $(SAN_FLAGS) -o $@ $< \
		$(SAN)/libsasguard.a $(LDLIBS)
build/vg/tests/unit/%.t: tests/unit/%.c tests/unit/tap.h libsasguard.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< libsasguard.a $(LDLIBS)

$(FUZZ)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(SAN_CC) $(WARNINGS) $(DEFINES) -Ilib $(SAN_FLAGS) \
		-fsanitize=fuzzer-no-link -c -o $@ $<
$(FUZZ)/libsasguard.a: $(LIB_SRC:%.c=$(FUZZ)/%.o)
	rm -f $@ && $(AR) rcs $@ $^
$(FUZZ)/fuzz-%: tests/fuzz/%.c $(FUZZ)/libsasguard.a
	$(SAN_CC) $(WARNINGS) $(DEFINES) -Ilib $(SAN_FLAGS) -fsanitize=fuzzer \
		-o $@ $< $(FUZZ)/libsasguard.a $(LDLIBS)

check-asan: $(SAN)/sasguard $(UNIT_SRC:%.c=$(SAN)/%.t)
	prove --exec '' $(addprefix ./$(SAN)/,$(UNIT_T))
	@# What the binary holds at exit is freed by exit: leaks are checked
	@# in the library, by the unit tests above and under valgrind.
	ASAN_OPTIONS=detect_leaks=0 SASGUARD=$(CURDIR)/$(SAN)/sasguard \
		prove --exec '' $(SHELL_T)
check-valgrind: $(UNIT_SRC:%.c=build/vg/%.t)
	prove --exec '$(VALGRIND)' $(addprefix ./build/vg/,$(UNIT_T))
fuzz: $(FUZZ_TARGETS:%=$(FUZZ)/fuzz-%)
	sh tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
# The diff reader's SSE2-only path, which AVX2 hides here, fuzzed too.
check-fuzz: fuzz
	@$(MAKE) --no-print-directory FUZZ=build/fuzz-sse2 \
		SAN_FLAGS='$(SAN_FLAGS) -DDIFF_NO_AVX2' FUZZ_TARGETS=diff fuzz

# ---- Install (issue 14) -----------------------------------------------
# The binary, the default rules, the hooks, the manual page, and a copy of
# install.sh beside the hooks: the user a server runs git as (sudo -u git)
# can run that copy even when it cannot read the source folder.
MANDIR ?= $(PREFIX)/share/man
HOOKS = $(wildcard hook/pre-commit hook/commit-msg hook/pre-receive)
install: sasguard
	install -d $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/sasguard/hooks \
		$(DESTDIR)$(MANDIR)/man1
	install -m 755 sasguard $(DESTDIR)$(PREFIX)/bin/sasguard
	install -m 644 rules/default.ini \
		$(DESTDIR)$(PREFIX)/share/sasguard/default.ini
	install -m 755 $(HOOKS) $(DESTDIR)$(PREFIX)/share/sasguard/hooks/
	install -m 755 install.sh $(DESTDIR)$(PREFIX)/share/sasguard/install.sh
	install -m 644 sasguard.1 $(DESTDIR)$(MANDIR)/man1/sasguard.1

# A Debian package (no network, dpkg-deb only) in build/: see pkg/deb.sh.
deb: sasguard
	@mkdir -p build
	sh pkg/deb.sh build

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sasguard
	rm -f $(DESTDIR)$(MANDIR)/man1/sasguard.1
	rm -rf $(DESTDIR)$(PREFIX)/share/sasguard

# The benchmark of issue 15 (not part of check): real text (a git history
# of this machine's sources, bench/history.py), cat, wc -l, grep -F, rg,
# pre-receive. BENCH_SIZE=64M for a quick run; see bench/bench.sh for the
# other knobs and PERFORMANCE.md for the results.
BENCH_SIZE ?= 1G
BENCH_TOOLS = bench/gen bench/measure bench/composition
$(BENCH_TOOLS): %: %.c
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $@.c

# The fast reader against the one it replaced: lib/diff.c and lib/diff.h
# as they were at DIFF_REF, taken from git history rather than kept as a
# second copy, built on their own (bench/diffcheck_ref.c, with no -Ilib).
DIFF_REF = 5543b18
DIFF_REF_DIR = bench/.cache/ref/$(DIFF_REF)
$(DIFF_REF_DIR)/diff.c $(DIFF_REF_DIR)/diff.h:
	mkdir -p $(@D)
	git show $(DIFF_REF):lib/$(@F) > $@.tmp
	mv $@.tmp $@
# bench/diffcheck-sse2: the same checks of the SSE2-only path (PATH_SRC
# built again with -DDIFF_NO_AVX2), which AVX2 would hide.
bench/diffcheck bench/diffcheck-sse2: bench/diffcheck.c \
		bench/diffcheck_ref.c bench/diffcheck_ref.h \
		$(DIFF_REF_DIR)/diff.c $(DIFF_REF_DIR)/diff.h libsasguard.a \
		$(HEADERS)
	$(CC) $(WARNINGS) $(DEFINES) -I$(DIFF_REF_DIR) $(CFLAGS) -c \
		-o $@_ref.o bench/diffcheck_ref.c
	$(CC) $(ALL_CFLAGS) $(if $(filter %-sse2,$@),-DDIFF_NO_AVX2 \
		$(PATH_SRC)) -o $@ bench/diffcheck.c $@_ref.o libsasguard.a \
		$(LDLIBS)
	rm -f $@_ref.o

# Where the floor is: lib/diff.c's own block masks, timed alone.
bench/floor: bench/floor.c lib/diff.c libsasguard.a $(HEADERS)
	$(CC) $(ALL_CFLAGS) -o $@ bench/floor.c libsasguard.a $(LDLIBS)

bench: sasguard $(BENCH_TOOLS) bench/diffcheck bench/diffcheck-sse2 \
		bench/floor
	BENCH_SIZE=$(BENCH_SIZE) sh bench/bench.sh

clean:
	rm -f sasguard libsasguard.a hook/*.o cli/*.o lib/*.o tests/unit/*.t
	rm -f $(BENCH_TOOLS) bench/diffcheck bench/diffcheck-sse2 bench/floor
	rm -rf build

.PHONY: all units check check-paths check-all install deb uninstall clean bench check-asan check-valgrind \
	fuzz check-fuzz
