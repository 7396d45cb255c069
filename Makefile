# vaner: `make demo` runs the main job on a shipped example; `make test` runs every test.
# Both install what they need first (`make setup`: a CPU libtorch from PyPI's torch wheel).

CARGO ?= cargo
EXAMPLE := examples/thong-bao-ket-luan.txt

.PHONY: setup build demo test lint eval example fuzz

setup:
	@bash scripts/setup-libtorch.sh

build: setup
	$(CARGO) build --quiet

# The plain example text is derived from the annotated one (tags removed).
$(EXAMPLE): examples/thong-bao-ket-luan.inline.txt
	sed -E 's#</?(PER|TITLE|ORG|DATE|DIRECTIVE)>##g' $< > $@

demo: build
	@if [ -f models/default/model.safetensors ]; then \
	  $(CARGO) run --quiet -- extract --format table $(EXAMPLE); \
	else \
	  echo "(no models/default yet: showing the example's hand annotations)"; \
	  $(CARGO) run --quiet -- convert --format table examples/thong-bao-ket-luan.inline.txt; \
	fi

test: setup
	$(CARGO) test --quiet

# Scores every model under models/ on the dev split and on ../shared/realdocs.
eval: build
	bash scripts/eval.sh

lint: setup
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

# Fuzzing (README, "Fuzzing"): each target in fuzz/ for FUZZ_SECONDS, one after another, then
# its corpus minimized. Needs nightly Rust and `cargo install cargo-fuzz`.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= inline_reader jsonl_reader date_normalizer directive_normalizer alignment

fuzz: setup
	cd fuzz && for t in $(FUZZ_TARGETS); do \
	  $(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	  $(CARGO) +nightly fuzz cmin $$t || exit 1; \
	done
