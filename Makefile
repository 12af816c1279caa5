# xmppsandbox: a thin wrapper over the go tool and a few scripts.
GO      ?= go
BIN     := bin/xmppsandbox
FUZZTIME ?= 10s
PKGS    := ./...

.PHONY: build run test race bench fuzz interop browser lint clean

# urfave_cli_no_docs leaves out urfave/cli's man and markdown output,
# which we never produce, and with it blackfriday's start-up work.
build:
	CGO_ENABLED=0 $(GO) build -tags urfave_cli_no_docs -o $(BIN) .

run: build
	./$(BIN) serve --fixtures ./fixtures

test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 $(PKGS)

# Go benchmarks of the hot paths, with allocations; and process start to
# first login. Figures vary with the machine's load: compare runs made
# one after the other.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -benchtime=2s ./sandbox/...
	$(GO) test -run='^$$' -bench=StartToFirstLogin -benchtime=20x .

# Each fuzz target runs for FUZZTIME; go test -fuzz takes one target at a time.
fuzz:
	@./scripts/fuzz.sh $(FUZZTIME)

interop: build
	./interop/run.sh $(BIN)

# The inspector page in headless Chromium (Debian's), driven by Playwright.
browser: build
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	cd browser && (npm ci || npm install)
	XMPPSANDBOX_BIN=$(CURDIR)/$(BIN) node --test browser/inspector.test.mjs

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)

clean:
	rm -rf bin

# Measures the sandbox against Prosody and ejabberd from Debian, side by
# side on loopback (see bench/README.md); 13 to 17 minutes.
.PHONY: bench-compare
bench-compare: build
	./bench/compare.sh $(BIN)
