"""The assess endpoint's JSON renderer writes what DRF's would, faster."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

from rest_framework.renderers import JSONRenderer

from gaoqi.api.renderers import FastJSONRenderer
from gaoqi.rules import assess


def test_an_assessment_decodes_to_the_same_data_as_drfs_rendering() -> None:
    text = resources.files("gaoqi.rules.examples").joinpath("enterprise.json").read_text(encoding="utf-8")
    result = assess(text)
    fast = FastJSONRenderer().render(result)
    assert json.loads(fast) == json.loads(JSONRenderer().render(result)) == result
    assert "高新技术企业".encode() in fast  # UTF-8, not \\u escapes, as DRF writes it


def test_line_separators_and_types_json_lacks_decode_as_drfs() -> None:
    data = {"note": "第一行\u2028第二行\u2029", "as_of": date(2025, 6, 30), "amount": Decimal("1.50")}
    assert json.loads(FastJSONRenderer().render(data)) == json.loads(JSONRenderer().render(data))


def test_an_indented_answer_is_drfs() -> None:
    data = {"a": [1, 2]}
    media = "application/json; indent=2"
    assert FastJSONRenderer().render(data, media, {}) == JSONRenderer().render(data, media, {})
