# formidl - static-site generator.  `make site` builds the tool and the
# bundled sample site; `make test` runs every test; see README.md.

VERSION   := 0.1.0
CC        ?= cc
PKGS      := libcmark-gfm libxml-2.0 yaml-0.1 libmicrohttpd
CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN      := -Wall -Wextra -Werror
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
CFLAGS    ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -iquote src -DFORMIDL_VERSION='"$(VERSION)"' $(PKG_CFLAGS)
LDLIBS     = $(PKG_LIBS) -lpthread -lm

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS      := $(wildcard src/*.c)

OBJS      := $(SRCS:src/%.c=build/obj/%.o)
SAN_OBJS  := $(SRCS:src/%.c=build/san/%.o)
SAN_LIB   := $(filter-out build/san/main.o,$(SAN_OBJS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/tests/%)

PREFIX    ?= /usr/local
SITE      ?= .

.PHONY: all deps test-deps site test unit bench clean distclean

all: formidl

deps:
	@sh tools/deps.sh build

test-deps:
	@sh tools/deps.sh test

formidl: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(LDLIBS)

build/obj/%.o: src/%.c src/*.h | build/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c src/*.h | build/san
	$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) -iquote src -DFORMIDL_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -c -o $@ $<

build/formidl-san: $(SAN_OBJS)
	$(CC) $(SAN_FLAGS) -o $@ $(SAN_OBJS) $(LDLIBS)

build/tests/%: tests/unit/%.c $(SAN_LIB) tests/unit/test.h | build/tests
	$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) -iquote src $(PKG_CFLAGS) -o $@ $< $(SAN_LIB) $(LDLIBS)

build/tests/mustache_spec: tests/mustache_spec.c $(SAN_LIB) | build/tests
	$(CC) $(CSTD) $(WARN) $(SAN_FLAGS) -iquote src $(PKG_CFLAGS) -o $@ $< $(SAN_LIB) $(LDLIBS)

build/obj build/san build/tests:
	@mkdir -p $@

# The sample site, built into public/.
site: deps
	@$(MAKE) --no-print-directory formidl
	@./formidl build $(SITE)
	@echo "Sitet ligger i $(abspath $(SITE))/public/. Se det i en browser med: ./formidl serve $(SITE)"

# Every test: unit tests, the Mustache spec, whole-site golden tests, bad
# input, determinism.  All C code runs under ASan and UBSan.
test: test-deps
	@$(MAKE) --no-print-directory build/formidl-san formidl $(UNIT_BINS) build/tests/mustache_spec
	@bash tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory formidl
	@sh tests/bench.sh

# The program and its manual page, formidl(1).
install: formidl
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 formidl $(DESTDIR)$(PREFIX)/bin/formidl
	install -m 644 doc/formidl.1 $(DESTDIR)$(PREFIX)/share/man/man1/formidl.1

clean:
	rm -rf build/obj build/san build/tests build/formidl-san formidl public .public.staging-* tests/out

distclean: clean
	rm -rf build tests/e2e/node_modules
