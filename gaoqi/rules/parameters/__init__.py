"""Dated, cited parameters: one YAML file per quantity, values keyed by the date they take effect.

A file ``parameters/hnte/rd_ratio_small.yaml`` is the parameter ``hnte.rd_ratio_small``. Its ``values`` map a
start date to a value (or to ``{value: …, reference: […]}`` when an amendment cites a new document); ``null`` ends
the parameter. ``index.yaml`` in each folder lists the documents the folder draws on.

>>> p = load_parameters().at(date(2024, 6, 30))
>>> p.hnte.rd_ratio_small
5
>>> sorted(p.read)
['hnte.rd_ratio_small']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).parent

Overrides = Mapping[str, Any]
"""``{"hnte.rd_ratio_small": {"2027-01-01": 4}}`` or ``{"hnte.rd_ratio_small": 4}`` (in force from the start)."""


class ParameterError(ValueError):
    """A parameter is missing, malformed, or not in force on the date asked for."""


@dataclass(frozen=True)
class Reference:
    title: str
    href: str | None = None


@dataclass(frozen=True)
class Entry:
    start: date
    value: Any
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str
    description: str
    references: tuple[Reference, ...]
    entries: tuple[Entry, ...]
    verified: str = "primary"
    note: str | None = None

    def entry_at(self, on: date) -> Entry | None:
        """The entry in force on ``on``: the latest one that started on or before it."""
        current = None
        for entry in self.entries:
            if entry.start <= on:
                current = entry
        return current

    def citation(self, on: date) -> str:
        entry = self.entry_at(on)
        refs = (entry.references if entry and entry.references else None) or self.references
        return "；".join(ref.title for ref in refs)


def _references(raw: Any, where: str) -> tuple[Reference, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ParameterError(f"{where}: reference must be a list")
    return tuple(Reference(title=str(item["title"]), href=item.get("href")) for item in raw)


def _start(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ParameterError(f"{where}: {raw!r} is not an ISO date") from exc


def _entries(values: Mapping[Any, Any], where: str) -> tuple[Entry, ...]:
    entries = []
    for raw_start, raw in values.items():
        start = _start(raw_start, where)
        if isinstance(raw, dict) and "value" in raw:
            entries.append(Entry(start, raw["value"], _references(raw.get("reference"), where)))
        else:
            entries.append(Entry(start, raw))
    return tuple(sorted(entries, key=lambda e: e.start))


def parameter_from_yaml(key: str, doc: Mapping[str, Any], where: str) -> Parameter:
    meta = doc.get("metadata") or {}
    if "values" not in doc or not isinstance(doc["values"], dict):
        raise ParameterError(f"{where}: no dated values")
    return Parameter(
        key=key,
        label=str(meta.get("label", key)),
        unit=str(meta.get("unit", "")),
        description=str(doc.get("description", "")).strip(),
        references=_references(meta.get("reference"), where),
        entries=_entries(doc["values"], where),
        verified=str(meta.get("verified", "primary")),
        note=meta.get("note"),
    )


@dataclass(frozen=True)
class ParameterSet:
    """Every parameter, as published. Immutable: overrides return a copy."""

    parameters: Mapping[str, Parameter]

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise ParameterError(f"unknown parameter {key!r}") from None

    def with_overrides(self, overrides: Overrides | None) -> ParameterSet:
        if not overrides:
            return self
        changed = dict(self.parameters)
        for key, raw in overrides.items():
            base = self[key]
            added = _entries(raw, f"override {key}") if isinstance(raw, dict) else (Entry(date.min, raw),)
            starts = {e.start for e in added}
            entries = tuple(
                sorted((*(e for e in base.entries if e.start not in starts), *added), key=lambda e: e.start)
            )
            changed[key] = replace(base, entries=entries)
        return ParameterSet(changed)

    def at(self, on: date, overrides: Overrides | None = None) -> Parameters:
        return Parameters(self.with_overrides(overrides), on)


@dataclass
class Parameters:
    """The values in force on one date, read as ``p.hnte.rd_ratio_small``; remembers what was read."""

    source: ParameterSet
    on: date
    read: set[str] = field(default_factory=set)
    read_on: dict[str, set[date]] = field(default_factory=dict)
    last_recorded: dict[str, set[date]] = field(default_factory=dict)

    def __getattr__(self, program: str) -> _Namespace:
        if program.startswith("_"):
            raise AttributeError(program)
        return _Namespace(self, program)

    def value(self, key: str) -> Any:
        parameter = self.source[key]
        entry = parameter.entry_at(self.on)
        if entry is None or entry.value is None:
            raise ParameterError(f"parameter {key} is not in force on {self.on.isoformat()}")
        self.read.add(key)
        self.read_on.setdefault(key, set()).add(self.on)
        return entry.value

    def at_date(self, on: date) -> Parameters:
        """The law of another day (a tax year's, say), recording its reads with this object's."""
        return Parameters(self.source, on, self.read, self.read_on)

    def is_in_force(self, key: str) -> bool:
        entry = self.source[key].entry_at(self.on)
        return entry is not None and entry.value is not None

    @contextmanager
    def recording(self) -> Iterator[set[str]]:
        """Collect the keys read inside the block (the engine cites them on the condition that read them)."""
        outer, self.read = self.read, set()
        outer_on, self.read_on = self.read_on, {}
        try:
            yield self.read
        finally:
            outer |= self.read
            for key, dates in self.read_on.items():
                outer_on.setdefault(key, set()).update(dates)
            self.last_recorded = self.read_on
            self.read, self.read_on = outer, outer_on

    def digest(self) -> str:
        """A short hash of every value in force on this date: two runs with one digest read the same law."""
        resolved = {}
        for key, parameter in sorted(self.source.parameters.items()):
            entry = parameter.entry_at(self.on)
            resolved[key] = None if entry is None else entry.value
        text = json.dumps(resolved, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class _Namespace:
    parameters: Parameters
    program: str

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.parameters.value(f"{self.program}.{name}")


@cache
def load_parameters(root: Path = ROOT) -> ParameterSet:
    """Read every ``<program>/<name>.yaml`` under ``root`` (``index.yaml`` lists documents, not values)."""
    parameters = {}
    for path in sorted(root.rglob("*.yaml")):
        if path.name == "index.yaml":
            continue
        relative = path.relative_to(root).with_suffix("")
        key = ".".join(relative.parts)
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        parameters[key] = parameter_from_yaml(key, doc, str(path))
    return ParameterSet(parameters)
