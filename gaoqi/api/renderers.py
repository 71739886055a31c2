"""JSON rendering for the large answers of ``/api/v1/assess`` (80 KB for every program explained)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, written by orjson in a tenth of the time; it decodes to the same data.

    The standard library's encoder took a fifth of the server's CPU per assessment (``bench/README.md``). Types
    JSON lacks go through DRF's encoder, as in DRF's renderer. Two spellings differ, the data does not: a float may
    be written ``1e16`` for ``1e+16``, and U+2028/U+2029 are left as they are (valid JSON; DRF escapes them for
    pages that paste JSON into a script, and searching 80 KB for them cost as much as writing it). An indented
    answer (``Accept: application/json; indent=2``) is left to DRF.
    """

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=_DRF.default)


_DRF = JSONEncoder()
