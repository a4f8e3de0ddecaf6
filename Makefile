.PHONY: assets bench bench-national fuzz

# Rebuild internal/web/static/app.<hash>.css from web/scss (needs node and npm).
assets:
	scripts/build-assets.sh

# Load benchmark: wrk against joinedup and a hello-world baseline, page
# weight and peak memory (needs go, curl and wrk). BENCH_DURATION=10s.
bench:
	scripts/bench.sh

# National benchmark: a synthetic 200,000-service ORUK feed on loopback,
# imported with joinedup import oruk, then a grid of searches with wrk -c10
# (needs go, curl, wrk and /usr/bin/time; PostgreSQL for postgres).
# BENCH_ENGINES="sqlite postgres", BENCH_SERVICES=200000, BENCH_DURATION=5s.
bench-national:
	scripts/bench-national.sh

# Fuzz every parser of outside input for FUZZTIME each (default 30s).
FUZZTIME ?= 30s
FUZZ_TARGETS = \
	FuzzReadShippedCSV:./internal/directory/ \
	FuzzSearchParams:./internal/directory/ \
	FuzzReadODS:./internal/directory/ \
	FuzzReadPostcodeCSV:./internal/directory/ \
	FuzzParseServe:./internal/config/ \
	FuzzRequestHeaders:./internal/web/ \
	FuzzMatchExpression:./internal/search/ \
	FuzzTextMatchQuery:./internal/directory/ \
	FuzzQueryParams:./internal/oruk/ \
	FuzzServiceRecord:./internal/oruk/ \
	FuzzParseSelection:./internal/news/ \
	FuzzPlaceForm:./internal/admin/ \
	FuzzPrepare:./internal/media/ \
	FuzzJPEGOrientation:./internal/media/ \
	FuzzMarkdown:./internal/text/ \
	FuzzMeasure:./internal/readability/

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done
