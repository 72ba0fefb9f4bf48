# Trợ lý công dân — everything a person can run. `make help` lists the targets.
SHELL := /bin/bash
PY := .venv/bin/python
RASA := .venv/bin/rasa
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help venv run test test-fast train generate validate unanswered ingest-nlu lint format bench bench-nlu cv-nlu \
        bench-onestop bench-gateway simulator telegram-webhook lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

venv: ## create/reuse the virtualenv from requirements/lock.txt
	@bash scripts/bootstrap.sh

run: venv ## start the whole assistant (Redis if needed, simulator, actions, Rasa, gateway, notifier)
	@$(PY) -m bot.launcher

test: ## set up everything, then run the whole test suite (what CI runs)
	@bash scripts/bootstrap.sh --browser
	@$(PY) scripts/run_tests.py

test-fast: venv ## the tests that need no trained model and no browser
	@$(PY) -m pytest -q -m "not slow and not browser"

generate: venv ## regenerate NLU data derived from the knowledge base
	@if [ -f bot/nlu/generate.py ]; then $(PY) -m bot.nlu.generate; fi

train: venv ## train the model if its inputs changed (cached by hash)
	@$(PY) -m bot.training

validate: generate ## validate the knowledge base and the Rasa data
	@if [ -f bot/kb/validate.py ]; then $(PY) -m bot.kb.validate; fi
	@$(PY) scripts/validate_data.py

unanswered: venv ## questions the bot did not answer, grouped, most asked first (ARGS="--intent out_of_scope")
	@$(PY) -m bot.kb.unanswered $(ARGS)

ingest-nlu: venv ## lines written from a brief (TSV=intent<TAB>message file, OUT=yml) -> annotated NLU data
	@$(PY) -m bot.nlu.ingest $(TSV) --out $(OUT)

lint: venv ## ruff
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

format: venv ## ruff format + autofix
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

bench: bench-nlu bench-onestop bench-gateway ## all benchmarks

bench-nlu: venv ## NLU accuracy vs Rasa's default pipeline, training time, parse latency
	@$(PY) scripts/bench_nlu.py

cv-nlu: venv ## 5-fold cross-validation of config.yml on the training data, fixed folds (~12 min)
	@$(PY) scripts/cv_nlu.py

bench-onestop: venv ## status answer latency, cache hit ratio, one-stop calls per 1,000 questions
	@$(PY) scripts/bench_onestop.py

bench-gateway: venv ## webhook ack latency, end-to-end latency vs bare Rasa, throughput
	@$(PY) scripts/bench_gateway.py

simulator: venv ## run the one-stop simulator alone on SIMULATOR_PORT (default 8090)
	@$(PY) -m simulator --port $${SIMULATOR_PORT:-8090}

telegram-webhook: venv ## register the Telegram webhook (needs TELEGRAM_BOT_TOKEN, GATEWAY_PUBLIC_URL)
	@$(PY) -m channels.telegram_webhook set

lock: venv ## rewrite requirements/lock.txt from the current .venv
	@{ sed -n '1,3p' requirements/lock.txt; .venv/bin/pip freeze --all | grep -v -E '^pip==' \
	  | sed -E 's#^(rasa|rasa-sdk) @ .*/(rasa|rasa_sdk)-([0-9.]+)-.*#\1==\3#'; } > requirements/lock.txt.new
	@mv requirements/lock.txt.new requirements/lock.txt

clean: ## remove local models, logs and caches (not the shared venv/model cache)
	rm -rf models var results .pytest_cache .ruff_cache nlu_data/generated
