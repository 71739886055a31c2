"""JSON rendering for the large answers of ``/api/v1/assess`` (80 KB for every program explained)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, written by orjson in a tenth of the time; it decodes to the same data.

    The standard library's encoder took a fifth of the server's CPU per assessment (``bench/README.md``). As DRF's
    renderer does, the line and paragraph separators U+2028/U+2029 are escaped (they end a line in JavaScript) and
    types JSON lacks go through DRF's encoder; a float may be spelled differently (``1e16`` for ``1e+16``). An
    indented answer (``Accept: application/json; indent=2``) is left to DRF.
    """

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Mapping[str, Any] | None = None
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        text = orjson.dumps(data, default=JSONEncoder().default)
        return text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
