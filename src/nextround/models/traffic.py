"""A record of what was sent to the model and what came back: one JSON line per request.

On with ``nextround --debug …``, ``log_traffic = true`` in config.toml or ``NEXTROUND_LOG_TRAFFIC=1``. The file is
``logs/model-traffic.jsonl`` in the data folder (``$NEXTROUND_HOME/logs/`` when set), created readable by the
user only. A line holds the time, the endpoint (without any credentials in the URL), the model, the request
options from a fixed list (model, temperature, max_tokens, stop, response_format…), the messages, and the reply
or the error. It never holds the API key or any header: the callback only sees messages and options, and the
options are picked by name, not copied.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from nextround.models.usage import message_text

#: Request options written to the log; anything else the provider passes along is left out.
LOGGED_OPTIONS = ("model", "model_name", "temperature", "max_tokens", "max_completion_tokens", "stop",
                  "response_format", "stream", "seed", "logit_bias", "top_p", "num_predict")


class TrafficLog(BaseCallbackHandler):
    def __init__(self, path: Path, endpoint: str):
        from nextround.paths import ensure_folder

        ensure_folder(path.parent)  # a data folder that cannot hold the log fails now, in one line, not mid-session
        self.path = path
        self.endpoint = endpoint
        self._open: dict[UUID, dict[str, Any]] = {}

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[Any]], *, run_id: UUID,
                            **kwargs: Any) -> None:
        params = kwargs.get("invocation_params") or {}
        self._open[run_id] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "endpoint": self.endpoint,
            "options": {k: params[k] for k in LOGGED_OPTIONS if k in params},
            "messages": [{"role": _role(m), "content": message_text(m)} for batch in messages for m in batch],
            "_start": time.perf_counter(),
        }

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        entry = self._open.pop(run_id, None)
        if entry is None:
            return
        entry["reply"] = "".join(g.text for batch in response.generations for g in batch)
        usage = None
        for batch in response.generations:
            for generation in batch:
                usage = getattr(getattr(generation, "message", None), "usage_metadata", None) or usage
        if usage:
            entry["usage"] = {k: usage.get(k) for k in ("input_tokens", "output_tokens")}
        self._write(entry)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        entry = self._open.pop(run_id, None)
        if entry is not None:
            entry["error"] = f"{type(error).__name__}: {' '.join(str(error).split())[:500]}"
            self._write(entry)

    def _write(self, entry: dict[str, Any]) -> None:
        entry["ms"] = round((time.perf_counter() - entry.pop("_start")) * 1000, 1)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)


def _role(message: Any) -> str:
    kind = getattr(message, "type", "")
    return {"human": "user", "ai": "assistant"}.get(kind, kind or "user")
