"""Model failures as one line the user can act on: which endpoint, what happened, what to try.

LangChain providers classify HTTP failures with provider-agnostic classes (``langchain_core.exceptions``); the
OpenAI SDK's own classes (which ChatOpenAI's errors also inherit) give the status and the server's message.
Anything else a provider raises becomes "the model at … failed: …". A server that answers, but not with an
OpenAI-compatible chat reply (a web page, plain text), is named as such.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

from nextround.errors import NextroundError
from nextround.models.chat import endpoint_of, model_label


class LLMError(NextroundError):
    """A model endpoint failed in a way the user can act on. The message is one line."""

    def __init__(self, message: str, status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.status = status  # HTTP status when the server answered with an error
        self.detail = detail  # the server's own error message, when it gave one


@contextmanager
def model_errors(model: Any) -> Iterator[None]:
    """Run a model call; any failure leaves as one LLMError (KeyboardInterrupt and friends pass untouched)."""
    try:
        yield
    except LLMError:
        raise
    except Exception as exc:  # noqa: BLE001 - translated into one clear line
        raise translate_error(exc, model) from None


def not_an_api_reply(endpoint: str, body: object) -> LLMError:
    """The server answered, but not with an OpenAI-compatible chat completion (an HTML page, plain text…)."""
    return LLMError(
        f"the server at {endpoint} answered with something that is not an OpenAI-compatible chat reply "
        f"({short(str(body), 60)!r}); check --base-url (it usually ends in /v1), or use --provider offline"
    )


# What LangChain and the OpenAI SDK raise when the body is not a chat completion at all.
_NOT_AN_API = ("no generation chunks were returned", "unexpected response type", "object has no attribute 'choices'",
               "'str' object has no attribute")


def translate_error(exc: BaseException, model: Any) -> LLMError:
    """Map a provider, SDK or transport failure to one line."""
    endpoint = endpoint_of(model)
    retries = getattr(model, "max_retries", None) or 0
    after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
    kind = _kind(exc)
    if kind == "timeout":
        timeout = _timeout_of(model)
        return LLMError(
            f"the model at {endpoint} did not answer within {timeout} s{after}; is the server overloaded? "
            "Try again, raise NEXTROUND_TIMEOUT, or use --provider offline"
        )
    if kind == "connection":
        what = "connection refused" if any("refused" in str(e).lower() for e in _chain(exc)) else "cannot connect"
        return LLMError(
            f"cannot reach the model at {endpoint} ({what}{after}); start the server or check --base-url / "
            "OPENAI_BASE_URL, or use --provider offline"
        )
    status = _status_of(exc)
    if status is not None:
        detail = _error_message(exc)
        error = _status_error(status, short(detail), endpoint, model_label(model), after)
        error.status, error.detail = status, detail
        return error
    text = str(exc)
    if isinstance(exc, (ValueError, AttributeError, TypeError)) and any(s in text.lower() for s in _NOT_AN_API):
        body = text.split(":", 1)[1] if "got str:" in text else text
        return not_an_api_reply(endpoint, body.strip())
    return LLMError(f"the model at {endpoint} failed: {type(exc).__name__}: {short(text)}")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it, outermost first (providers wrap the SDK, which wraps the transport)."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen and len(seen) < 10:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _kind(exc: BaseException) -> str | None:
    from langchain_core import exceptions as lc

    if isinstance(exc, (lc.ModelTimeoutError, TimeoutError)) or _is_sdk(exc, "APITimeoutError"):
        return "timeout"
    if isinstance(exc, (lc.ModelConnectionError, ConnectionError)) or _is_sdk(exc, "APIConnectionError"):
        return "connection"
    name = type(exc).__name__
    if name.endswith("Timeout") or name.endswith("TimeoutException"):  # httpx and friends, used by other providers
        return "timeout"
    if name in {"ConnectError", "ConnectionError", "RemoteProtocolError"}:
        return "connection"
    return None


def _is_sdk(exc: BaseException, name: str) -> bool:
    openai = sys.modules.get("openai")  # only loaded if the model uses it
    return openai is not None and isinstance(exc, getattr(openai, name))


def _status_of(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        return status
    from langchain_core import exceptions as lc

    classes = ((lc.ModelAuthenticationError, 401), (lc.ModelPermissionDeniedError, 403),
               (lc.ModelNotFoundError, 404), (lc.ModelRateLimitError, 429), (lc.ModelAPIError, 500),
               (lc.ModelInvalidRequestError, 400))
    for cls, code in classes:
        if isinstance(exc, cls):
            return code
    return None


def _status_error(status: int, detail: str, endpoint: str, model: str, after: str) -> LLMError:
    if status == 401:
        return LLMError(f"the model at {endpoint} rejected the API key (401 unauthorized); check OPENAI_API_KEY")
    if status == 403:
        return LLMError(f"the model at {endpoint} refused access (403: {detail}); check your key's permissions")
    if status == 404:
        return LLMError(
            f"not found at {endpoint} (404: {detail}); check --model {model!r} and that the base URL ends in /v1"
        )
    if status == 429:
        return LLMError(
            f"the model at {endpoint} is rate-limiting or out of quota (429{after}: {detail}); "
            "wait a minute and try again, or check your plan's quota"
        )
    if status >= 500:
        return LLMError(
            f"the model server at {endpoint} failed (HTTP {status}{after}: {detail}); "
            "check the server's log, try again, or use --provider offline"
        )
    return LLMError(f"the model at {endpoint} rejected the request (HTTP {status}: {detail})")


def _error_message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, dict) and inner.get("detail"):
            return str(inner["detail"])
        if isinstance(inner, str):
            return inner
    return str(getattr(exc, "message", "") or exc)


def _timeout_of(model: Any) -> str:
    timeout = getattr(model, "request_timeout", None) or getattr(model, "timeout", None)
    read = getattr(timeout, "read", timeout)  # an httpx/openai Timeout object, or a number
    return f"{read:g}" if isinstance(read, (int, float)) else "?"


def rejects_format(error: LLMError) -> bool:
    """Did the server refuse the response_format itself (rather than fail for another reason)?"""
    detail = (error.detail or "").lower()
    return error.status is not None and error.status >= 400 and any(
        word in detail for word in ("response_format", "json_schema", "json_object")
    )


def short(text: str, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
