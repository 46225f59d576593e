# sasguard - see README.md. `make` builds ./sasguard (static), `make check`
# installs what a fresh Debian machine lacks, builds and runs every test.

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

sasguard: hook/main.o libsasguard.a
	$(CC) $(ALL_CFLAGS) $(STATIC) $(LDFLAGS) -o $@ hook/main.o \
		libsasguard.a $(LDLIBS)

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

# A fresh machine first gets what it lacks (quiet when nothing is missing).
check:
	@sh ./install.sh --deps
	@$(MAKE) --no-print-directory all units
	prove --exec '' $(addprefix ./,$(UNIT_T) $(SHELL_T))

install: sasguard
	install -d $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/share/sasguard/hooks
	install -m 755 sasguard $(DESTDIR)$(PREFIX)/bin/sasguard
	install -m 644 rules/default.ini \
		$(DESTDIR)$(PREFIX)/share/sasguard/default.ini
	install -m 755 hook/pre-commit hook/pre-receive \
		$(DESTDIR)$(PREFIX)/share/sasguard/hooks/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sasguard
	rm -rf $(DESTDIR)$(PREFIX)/share/sasguard

# The benchmark of issue 5 (not part of check): corpora, peers, pre-receive.
# BENCH_SIZE=256M for a quick run; see bench/bench.sh for the other knobs.
BENCH_SIZE ?= 1G
bench/gen bench/measure: bench/gen.c bench/measure.c
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $@.c

bench: sasguard bench/gen bench/measure
	BENCH_SIZE=$(BENCH_SIZE) sh bench/bench.sh

clean:
	rm -f sasguard libsasguard.a hook/*.o lib/*.o tests/unit/*.t
	rm -f bench/gen bench/measure

.PHONY: all units check install uninstall clean bench
