"""Model settings: command-line options > environment > ``config.toml`` > defaults, each value with its source.

pydantic-settings does the layering (``settings_customise_sources``): the options are the init arguments, then
two environment sources (``NEXTROUND_*`` for nextround's own settings, ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``),
then ``config.toml`` in nextround's config folder. Each source is wrapped so that `load_settings` can say where
every value came from (``nextround config``).

The API key is only ever read from ``OPENAI_API_KEY`` (a SecretStr, never written anywhere); a key in the config
file, or in its ``[model_kwargs]`` table, is refused with one line. Stdlib and pydantic only: ``nextround
config`` and an offline run load this module without the model stack.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from nextround.errors import NextroundError
from nextround.schema import error_message, field_path

Method = Literal["auto", "json_schema", "json_object", "prompt"]
JudgeMode = Literal["local", "llm", "both"]

OPENAI_URL = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"
#: ``module:Class`` names a LangChain chat model class to use instead of ChatOpenAI.
CLASS_PATH = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$")
#: Keys that hold credentials: never read from the config file (credentials come from the environment).
_SECRET_KEY = re.compile(r"(^|_)(api_?key|key|token|secret|password|credentials?)$", re.IGNORECASE)

#: The command-line option of each setting that has one (the source label for `nextround config`).
OPTIONS = {"provider": "--provider", "base_url": "--base-url", "model": "--model", "judge": "--judge",
           "log_traffic": "--debug"}
#: Settings read from ``NEXTROUND_<NAME>``; the key and base URL use OpenAI's own variable names.
NEXTROUND_ENV = ("provider", "model", "timeout", "max_retries", "structured_output", "judge", "log_traffic")
OPENAI_ENV = ("api_key", "base_url")
#: Settings the config file may hold (everything but the key).
FILE_KEYS = ("provider", "base_url", "model", "timeout", "max_retries", "structured_output", "judge",
             "log_traffic", "model_kwargs")


class SettingsError(NextroundError):
    """A setting has an invalid value; the message names where it came from."""


# Which source gave which field, filled while pydantic-settings calls the sources (strongest first).
_TRACE: ContextVar[list[dict[str, str]] | None] = ContextVar("settings_trace", default=None)


class _Labelled:
    """A settings source that keeps only some fields and records, per field, a label for where it came from."""

    def __init__(self, inner: Callable[[], dict[str, Any]], label: Callable[[str], str],
                 only: tuple[str, ...] | None = None):
        self.inner, self.label, self.only = inner, label, only
        self.__name__ = f"{type(inner).__name__}:{id(self)}"

    def __call__(self) -> dict[str, Any]:
        values = {k: v for k, v in self.inner().items() if self.only is None or k in self.only}
        trace = _TRACE.get()
        if trace is not None:
            trace.append({name: self.label(name) for name in values})
        return values


class _ConfigFile:
    """config.toml through pydantic-settings' TOML source, with one clear line for a key it must not hold."""

    def __init__(self, settings_cls: type[BaseSettings]):
        self.path = config_file()
        self.settings_cls = settings_cls
        self.__name__ = "config.toml"

    def __call__(self) -> dict[str, Any]:
        import tomllib

        from pydantic_settings import TomlConfigSettingsSource

        path = self.path
        try:
            values = TomlConfigSettingsSource(self.settings_cls, toml_file=path)()
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: not a valid TOML file ({exc})") from None
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read the config file ({exc.strerror})") from None
        for key in values:
            if _SECRET_KEY.search(key):
                raise SettingsError(f"{path}: the API key does not belong in the config file; remove '{key}' "
                                    "and set OPENAI_API_KEY")
            if key not in FILE_KEYS:
                raise SettingsError(f"{path}: unknown key '{key}' (known: {', '.join(sorted(FILE_KEYS))})")
        kwargs = values.get("model_kwargs")
        if isinstance(kwargs, dict):
            for key in kwargs:
                if _SECRET_KEY.search(str(key)):
                    raise SettingsError(f"{path}: [model_kwargs] may not hold '{key}': credentials come from the "
                                        "environment (the model class reads its own variable)")
        trace = _TRACE.get()
        if trace is not None:
            trace.append({name: str(path) for name in values})
        return values


class Settings(BaseSettings):
    """Effective model settings. `load_settings` builds them and remembers where each value came from."""

    model_config = SettingsConfigDict(extra="forbid", validate_default=True, env_ignore_empty=True,
                                      case_sensitive=False)

    provider: str | None = Field(default=None, description="offline, openai, or a LangChain class module:Class")
    api_key: SecretStr | None = None
    base_url: str | None = None
    model: str | None = None
    timeout: float = Field(default=60.0, gt=0, le=3600)
    max_retries: int = Field(default=2, ge=0, le=10)
    structured_output: Method = "auto"
    judge: JudgeMode | None = None
    log_traffic: bool = False
    model_kwargs: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (
            _Labelled(init_settings, lambda name: OPTIONS.get(name, "command line")),
            _Labelled(EnvSettingsSource(settings_cls, env_prefix="NEXTROUND_"),
                      lambda name: f"NEXTROUND_{name.upper()}", only=NEXTROUND_ENV),
            _Labelled(EnvSettingsSource(settings_cls, env_prefix="OPENAI_"),
                      lambda name: f"OPENAI_{name.upper()}", only=OPENAI_ENV),
            _ConfigFile(settings_cls),
        )

    @field_validator("provider", mode="before")
    @classmethod
    def _provider(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if value.lower() in {"offline", "openai"}:
                return value.lower()
            if not CLASS_PATH.match(value):
                raise ValueError("use offline, openai, or a LangChain chat model class as module:Class "
                                 "(e.g. langchain_ollama:ChatOllama)")
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} must start with http:// or https://")
        return value

    # --- what the values mean ----------------------------------------------------------------------------------

    @property
    def effective_provider(self) -> str:
        """offline, openai, or the ``module:Class`` path."""
        if self.provider is not None:
            return self.provider
        return "openai" if (self.api_key is not None or self.base_url) else "offline"

    @property
    def uses_model(self) -> bool:
        return self.effective_provider != "offline"

    @property
    def model_class(self) -> str | None:
        """The ``module:Class`` path when a LangChain class other than ChatOpenAI is configured."""
        provider = self.effective_provider
        return provider if provider not in {"offline", "openai"} else None

    @property
    def effective_model(self) -> str:
        if self.model_class is not None:
            named = self.model_kwargs.get("model") or self.model_kwargs.get("model_name") or self.model
            return str(named or self.model_class.rsplit(":", 1)[1])
        return self.model or DEFAULT_MODEL

    @property
    def effective_judge(self) -> JudgeMode:
        if self.judge is not None:
            return self.judge
        return "both" if self.uses_model else "local"

    @property
    def endpoint(self) -> str:
        if self.model_class is not None:
            return self.model_class
        return (self.base_url or OPENAI_URL).rstrip("/")


def config_file() -> Path:
    from nextround.paths import config_dir

    return config_dir() / "config.toml"


def traffic_log_path() -> Path:
    from nextround.paths import data_dir

    return data_dir() / "logs" / "model-traffic.jsonl"


@dataclass
class LoadedSettings:
    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)  # field -> where the value came from


def load_settings(overrides: dict[str, Any] | None = None) -> LoadedSettings:
    """The effective settings (options given as `overrides`; None means "not given") and each value's source."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    trace: list[dict[str, str]] = []
    token = _TRACE.set(trace)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        # Unlike a file, settings come from several sources: the line names the setting and where it came from.
        first = exc.errors()[0]
        name = field_path(first).split(".")[0] or "?"
        where = _first_source(trace).get(name, "settings")
        raise SettingsError(f"invalid {name} from {where}: {error_message(first)}") from None
    finally:
        _TRACE.reset(token)
    sources = {name: "default" for name in Settings.model_fields}
    sources.update(_first_source(trace))
    if settings.effective_provider == "openai" and settings.api_key is None and not settings.base_url:
        raise SettingsError(
            "provider openai needs OPENAI_API_KEY (for OpenAI) or --base-url / OPENAI_BASE_URL "
            "(for a local server such as llama.cpp or Ollama); or use --provider offline"
        )
    return LoadedSettings(settings, sources)


def _first_source(trace: list[dict[str, str]]) -> dict[str, str]:
    """The strongest source of each field: sources were called strongest first."""
    found: dict[str, str] = {}
    for labels in trace:
        for name, label in labels.items():
            found.setdefault(name, label)
    return found


def describe_choice(settings: Settings, what: str = "counterpart") -> str:
    """The one line that says which model, if any, is used."""
    if not settings.uses_model:
        return f"{what}: offline (no model configured)"
    where = f"at {settings.endpoint}" if settings.model_class is None else f"({settings.model_class})"
    line = f"{what}: model {settings.effective_model} {where}"
    if what == "counterpart":
        line += f" · tone judge: {settings.effective_judge}"
    if settings.log_traffic:
        line += f" · traffic log: {traffic_log_path()}"
    return line
