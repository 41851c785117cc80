"""The one place that turns settings into a chat client, and the model-backed parts of a rehearsal.

Settings come, in order of precedence, from command-line options, environment variables, the optional config
file (``config.toml`` in nextround's config folder) and defaults. The API key is only ever read from
``OPENAI_API_KEY``; it is held as a SecretStr and never written anywhere.

The model stack (``openai``) is imported lazily, inside functions, so that ``nextround --help``, ``score`` and an
offline rehearsal never load it. No other module imports it; the modules that need a client
(``persona/llm.py``, ``judge.py``, ``plan_llm.py``, ``structured.py``) get one from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from nextround.errors import NextroundError

Provider = Literal["offline", "openai"]
Method = Literal["auto", "json_schema", "json_object", "prompt"]
JudgeMode = Literal["local", "llm", "both"]

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
# Local servers (llama.cpp, Ollama, vLLM, LM Studio) do not need a key, but the SDK wants a non-empty one.
PLACEHOLDER_KEY = "not-needed"


class LLMError(NextroundError):
    """A model endpoint failed in a way the user can act on. The message is one line."""

    def __init__(self, message: str, status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.status = status  # HTTP status when the server answered with an error
        self.detail = detail  # the server's own error message, when it gave one


class SettingsError(NextroundError):
    """A setting has an invalid value; the message names where it came from."""


class Settings(BaseSettings):
    """Effective model settings. Built by `load_settings`, which layers the sources and remembers each one."""

    model_config = SettingsConfigDict(extra="forbid", validate_default=True)

    provider: Provider | None = None
    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    timeout: float = Field(default=60.0, gt=0, le=3600)
    max_retries: int = Field(default=2, ge=0, le=10)
    structured_output: Method = "auto"
    judge: JudgeMode | None = None

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        # `load_settings` does the layering itself so it can say where each value came from.
        return (init_settings,)

    @property
    def effective_provider(self) -> Provider:
        if self.provider is not None:
            return self.provider
        return "openai" if (self.api_key is not None or self.base_url) else "offline"

    @property
    def effective_judge(self) -> JudgeMode:
        if self.judge is not None:
            return self.judge
        return "both" if self.effective_provider == "openai" else "local"

    @property
    def endpoint(self) -> str:
        return (self.base_url or OPENAI_URL).rstrip("/")

    @property
    def is_openai_proper(self) -> bool:
        return "api.openai.com" in self.endpoint


# field -> (environment variable, config-file key, command-line option)
_SOURCES: dict[str, tuple[str | None, str | None, str | None]] = {
    "provider": ("NEXTROUND_PROVIDER", "provider", "--provider"),
    "api_key": ("OPENAI_API_KEY", None, None),
    "base_url": ("OPENAI_BASE_URL", "base_url", "--base-url"),
    "model": ("NEXTROUND_MODEL", "model", "--model"),
    "timeout": ("NEXTROUND_TIMEOUT", "timeout", None),
    "max_retries": ("NEXTROUND_MAX_RETRIES", "max_retries", None),
    "structured_output": ("NEXTROUND_STRUCTURED_OUTPUT", "structured_output", None),
    "judge": ("NEXTROUND_JUDGE", "judge", "--judge"),
}


def config_file() -> Path:
    from nextround.paths import config_dir

    return config_dir() / "config.toml"


def _read_config_file(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the config file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: not a valid TOML file ({exc})") from None
    allowed = {key for _, key, _ in _SOURCES.values() if key}
    for key in data:
        if key in {"api_key", "openai_api_key", "key"}:
            raise SettingsError(
                f"{path}: the API key does not belong in the config file; remove '{key}' and set OPENAI_API_KEY"
            )
        if key not in allowed:
            raise SettingsError(f"{path}: unknown key '{key}' (known: {', '.join(sorted(allowed))})")
    return data


@dataclass
class LoadedSettings:
    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)  # field -> where the value came from


def load_settings(overrides: dict[str, Any] | None = None) -> LoadedSettings:
    """Layer defaults < config file < environment < command-line options, validate, and record each source."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    path = config_file()
    file_values = _read_config_file(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, (env, key, option) in _SOURCES.items():
        if name in overrides:
            values[name], sources[name] = overrides[name], option or "command line"
        elif env and os.environ.get(env, "").strip():
            values[name], sources[name] = os.environ[env].strip(), env
        elif key and key in file_values:
            values[name], sources[name] = file_values[key], str(path)
        else:
            sources[name] = "default"
    if isinstance(values.get("provider"), str):
        values["provider"] = values["provider"].lower()
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        where = sources.get(name, "settings")
        raise SettingsError(f"invalid {name} from {where}: {first['msg']}") from None
    if settings.base_url is not None and not settings.base_url.startswith(("http://", "https://")):
        raise SettingsError(
            f"invalid base_url from {sources['base_url']}: {settings.base_url!r} must start with http:// or https://"
        )
    if settings.effective_provider == "openai" and settings.api_key is None and not settings.base_url:
        raise SettingsError(
            "provider openai needs OPENAI_API_KEY (for OpenAI) or --base-url / OPENAI_BASE_URL "
            "(for a local server such as llama.cpp or Ollama); or use --provider offline"
        )
    return LoadedSettings(settings, sources)


def describe_choice(settings: Settings, what: str = "counterpart") -> str:
    """The one line that says which model, if any, is used."""
    if settings.effective_provider == "offline":
        return f"{what}: offline (no model configured)"
    line = f"{what}: model {settings.model} at {settings.endpoint}"
    if what == "counterpart":
        line += f" · tone judge: {settings.effective_judge}"
    return line


# --- usage ------------------------------------------------------------------------------------------------------


@dataclass
class UsageMeter:
    """Tokens spent since the last `pop`, shared by the persona and the judge of one session."""

    prompt: int = 0
    completion: int = 0

    def add(self, prompt: int, completion: int) -> None:
        self.prompt += max(0, int(prompt or 0))
        self.completion += max(0, int(completion or 0))

    def pop(self) -> tuple[int, int]:
        value = (self.prompt, self.completion)
        self.prompt = self.completion = 0
        return value


def estimate_tokens(text: str) -> int:
    """A rough count (about 4 characters a token) for servers that do not report usage when streaming."""
    return max(1, round(len(text) / 4)) if text else 0


# --- the client -------------------------------------------------------------------------------------------------


class ChatClient:
    """A thin wrapper over the OpenAI SDK: one place for timeouts, retries, usage and error messages."""

    def __init__(self, settings: Settings, meter: UsageMeter | None = None):
        self.settings = settings
        self.model = settings.model
        self.endpoint = settings.endpoint
        self.meter = meter or UsageMeter()
        self._client = None

    @property
    def sdk(self):
        if self._client is None:
            import openai

            key = self.settings.api_key.get_secret_value() if self.settings.api_key is not None else PLACEHOLDER_KEY
            timeout = self.settings.timeout
            self._client = openai.OpenAI(
                api_key=key,
                base_url=self.endpoint,
                timeout=openai.Timeout(timeout, connect=min(5.0, timeout)),
                max_retries=self.settings.max_retries,
            )
        return self._client

    def complete(self, messages: list[dict[str, str]], *, max_tokens: int = 400,
                 response_format: dict[str, Any] | None = None, extra: dict[str, Any] | None = None,
                 temperature: float | None = 0.2) -> str:
        """One non-streamed completion; returns the text (possibly empty). Transport failures raise LLMError."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_tokens}
        if temperature is not None:
            kwargs["temperature"] = temperature
        if response_format is not None:
            kwargs["response_format"] = response_format
        if extra:
            kwargs["extra_body"] = extra
        try:
            response = self.sdk.chat.completions.create(**kwargs)
        except Exception as exc:  # noqa: BLE001 - translated into one clear line
            raise translate_error(exc, self.endpoint, self.model, self.settings) from None
        if not hasattr(response, "choices"):
            raise not_an_api_reply(self.endpoint, response)
        text = ""
        if response.choices:
            text = response.choices[0].message.content or ""
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.meter.add(usage.prompt_tokens, usage.completion_tokens)
        else:
            self.meter.add(estimate_tokens(_joined(messages)), estimate_tokens(text))
        return text

    def stream(self, messages: list[dict[str, str]], on_chunk: Callable[[str], None], *, max_tokens: int = 220,
               extra: dict[str, Any] | None = None, temperature: float | None = 0.7) -> str:
        """A streamed completion: each piece of text goes to on_chunk as it arrives; returns the whole text."""
        kwargs: dict[str, Any] = {
            "model": self.model, "messages": messages, "max_tokens": max_tokens, "stream": True,
            "stream_options": {"include_usage": True},
        }
        if temperature is not None:
            kwargs["temperature"] = temperature
        if extra:
            kwargs["extra_body"] = extra
        parts: list[str] = []
        chunks = 0
        reported = None
        try:
            stream = self.sdk.chat.completions.create(**kwargs)
            if isinstance(stream, (str, bytes)):
                raise not_an_api_reply(self.endpoint, stream)
            events = 0
            for event in stream:
                events += 1
                if not hasattr(event, "choices"):
                    raise not_an_api_reply(self.endpoint, event)
                if getattr(event, "usage", None) is not None:
                    reported = event.usage
                for choice in event.choices or ():
                    piece = getattr(choice.delta, "content", None)
                    if piece:
                        chunks += 1
                        parts.append(piece)
                        on_chunk(piece)
        except LLMError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise translate_error(exc, self.endpoint, self.model, self.settings) from None
        if events == 0:
            # Even an empty reply streams a role and a finish event; nothing at all means this is no chat API.
            raise not_an_api_reply(self.endpoint, "no stream events")
        text = "".join(parts)
        if reported is not None:
            self.meter.add(reported.prompt_tokens, reported.completion_tokens)
        else:
            # llama.cpp's server sends one token per chunk and no usage when streaming.
            self.meter.add(estimate_tokens(_joined(messages)), chunks)
        return text


def _joined(messages: list[dict[str, str]]) -> str:
    return "\n".join(str(m.get("content", "")) for m in messages)


def not_an_api_reply(endpoint: str, body: object) -> LLMError:
    """The server answered, but not with an OpenAI-compatible chat completion (an HTML page, plain text…)."""
    return LLMError(
        f"the server at {endpoint} answered with something that is not an OpenAI-compatible chat reply "
        f"({_short(str(body), 60)!r}); check --base-url (it usually ends in /v1), or use --provider offline"
    )


def translate_error(exc: BaseException, endpoint: str, model: str, settings: Settings | None = None) -> LLMError:
    """Map an SDK or transport failure to one line: which endpoint, what happened, what to try."""
    import openai

    retries = settings.max_retries if settings is not None else 0
    after = f" after {retries} retr{'y' if retries == 1 else 'ies'}" if retries else ""
    if isinstance(exc, openai.APITimeoutError):
        timeout = settings.timeout if settings is not None else "?"
        return LLMError(
            f"the model at {endpoint} did not answer within {timeout} s{after}; is the server overloaded? "
            "Try again, raise NEXTROUND_TIMEOUT, or use --provider offline"
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        what = "connection refused" if "refused" in str(cause or exc).lower() else "cannot connect"
        return LLMError(
            f"cannot reach the model at {endpoint} ({what}{after}); start the server or check --base-url / "
            "OPENAI_BASE_URL, or use --provider offline"
        )
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _short(_error_message(exc))
        error = _status_error(status, detail, endpoint, model, after)
        error.status, error.detail = status, _error_message(exc)
        return error
    if isinstance(exc, openai.OpenAIError):
        return LLMError(f"the model at {endpoint} failed: {_short(str(exc))}")
    return LLMError(f"the model at {endpoint} failed: {type(exc).__name__}: {_short(str(exc))}")


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


def _error_message(exc) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(exc, "message", "") or exc)


def _short(text: str, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- what a command builds ----------------------------------------------------------------------------------------


@dataclass
class ModelParts:
    """What a rehearsal needs from the model side: persona, judge, and labels for the session record."""

    persona: Any
    judge: Callable | None
    provider: str
    model: str | None


def build_client(settings: Settings, meter: UsageMeter | None = None) -> ChatClient:
    return ChatClient(settings, meter)


def build_rehearsal_parts(settings: Settings) -> ModelParts:
    """The persona and tone judge for a rehearsal, per the settings. Offline needs nothing from the model stack."""
    if settings.effective_provider == "offline":
        return ModelParts(persona=None, judge=None, provider="offline", model=None)
    from nextround.persona.llm import LLMPersona

    meter = UsageMeter()
    client = build_client(settings, meter)
    persona = LLMPersona(client)
    judge = None
    if settings.effective_judge in {"llm", "both"}:
        from nextround.judge import ToneJudge

        judge = ToneJudge(client, method=settings.structured_output)
    return ModelParts(persona=persona, judge=judge, provider="openai", model=settings.model)
