"""Scenarios: the schema (`models`), loading and lookup (`loading`), reading first-schema files (`legacy`), and
authoring your own (`author`; with a model, `nextround.models.drafting` drafts it)."""

from nextround.scenario.loading import (
    ScenarioError,
    builtin_names,
    builtin_text,
    catalogue,
    load_builtin,
    load_scenario_file,
    parse_scenario,
    resolve_scenario,
    scenario_from_data,
    scenario_from_snapshot,
    user_scenario_dir,
)
from nextround.schema import yaml_load  # re-exported: scenario tools parse YAML the same way
from nextround.scenario.models import (
    MIN_EXAMPLES,
    AcknowledgeLines,
    Area,
    ClosingLines,
    Counterpart,
    Insight,
    Kind,
    Lines,
    PlanAction,
    Scenario,
    Signal,
    StockQuestion,
)

__all__ = [
    "MIN_EXAMPLES", "AcknowledgeLines", "Area", "ClosingLines", "Counterpart", "Insight", "Kind", "Lines",
    "PlanAction", "Scenario", "ScenarioError", "Signal", "StockQuestion", "builtin_names", "builtin_text", "catalogue",
    "load_builtin", "load_scenario_file", "parse_scenario", "resolve_scenario", "scenario_from_data",
    "scenario_from_snapshot", "user_scenario_dir", "yaml_load",
]
