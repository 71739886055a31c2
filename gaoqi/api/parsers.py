from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from gaoqi.rules import json_syntax_error


class ChineseJSONParser(JSONParser):
    """JSON bodies; a syntax error is reported in Chinese with its line and column."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, json.JSONDecodeError):
                raise ParseError(f"请求体不是有效的 JSON：{json_syntax_error(cause)}。") from None
            raise ParseError("请求体不是有效的 JSON（须为 UTF-8 编码）。") from None
