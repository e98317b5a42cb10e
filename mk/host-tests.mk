# Host unit tests (cmocka, ASan + UBSan). Every tests/host/**/test_*.c is one
# test program. It names what it links against in header comments:
#   // TEST_SOURCES: kernel/mm/pmm.c kernel/lib/cmdline.c
#   // TEST_CFLAGS: -Ikernel/arch/riscv64/include
# so adding a test never needs a Makefile change. Each program's TAP output
# goes to build/results/host-<name>.tap for tools/test-summary.

HOST_TEST_SRCS := $(shell find tests/host -name 'test_*.c' | sort)
HOST_TEST_BINS := $(patsubst tests/host/%.c,$(HOST_BUILD)/tests/%,$(HOST_TEST_SRCS))
HOST_TEST_NAMES := $(subst /,-,$(patsubst tests/host/%.c,%,$(HOST_TEST_SRCS)))

test_sources = $(shell sed -n 's|^// TEST_SOURCES:||p' $(1))
test_cflags = $(shell sed -n 's|^// TEST_CFLAGS:||p' $(1))

# A test links several sources in one gcc call, so per-source dependency files
# do not work; every test depends on every header instead (they build in
# seconds).
HOST_TEST_HEADERS := $(shell find include kernel boot tests/host tools -name '*.h')

define HOST_TEST_RULE
$(HOST_BUILD)/tests/$(2): $(1) $(call test_sources,$(1)) $$(HOST_TEST_HEADERS) | host-tools
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_CFLAGS) $(call test_cflags,$(1)) -o $$@ $(1) $(call test_sources,$(1)) $$(HOST_LDFLAGS)
endef
$(foreach t,$(HOST_TEST_SRCS),$(eval $(call HOST_TEST_RULE,$(t),$(patsubst tests/host/%.c,%,$(t)))))

# Host tools the tests may run (mkramfs).
host-tools: $(HOST_BUILD)/mkramfs

host-test: $(HOST_TEST_BINS)
	@mkdir -p $(RESULTS)
	@for t in $(HOST_TEST_BINS); do \
	    name=host-$$(echo $${t#$(HOST_BUILD)/tests/} | tr / -); \
	    CMOCKA_MESSAGE_OUTPUT=TAP FIXTURES=tests/fixtures HOST_BUILD=$(HOST_BUILD) \
	        $$t > $(RESULTS)/$$name.tap 2> $(RESULTS)/$$name.err; \
	    echo "exit $$?" >> $(RESULTS)/$$name.err; \
	done
	@tools/test-summary --brief $(RESULTS) host-

# Line coverage of the host tests as an lcov HTML report.
coverage:
	rm -rf build/host-coverage
	$(MAKE) COVERAGE=1 host-test
	lcov -q --capture --directory build/host-coverage --output-file build/coverage.info
	lcov -q --extract build/coverage.info '*/kernel/*' '*/boot/*' '*/tools/*' --output-file build/coverage.info
	lcov -q --remove build/coverage.info '*/tests/*' --output-file build/coverage.info
	@lcov -q --extract build/coverage.info '*/kernel/mm/*' --output-file build/coverage-mm.info
	@printf 'memory management (kernel/mm): '; lcov --summary build/coverage-mm.info 2>&1 | grep lines
	genhtml -q build/coverage.info --output-directory build/coverage
	@lcov --summary build/coverage.info 2>&1 | grep -E 'lines|functions'
	@echo "coverage report: build/coverage/index.html"

.PHONY: host-tools
