"""Creating many rows at once, as fast as the database allows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.db import connection, models


def rows_create(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (new, unsaved) inside the caller's transaction; their primary keys are NOT set.

    On PostgreSQL the rows are streamed with ``COPY``: for ten thousand rows of thirty columns it takes a fraction of
    the time of ``bulk_create``, whose parameter arrays psycopg builds and escapes in Python. Elsewhere
    ``bulk_create``.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000)  # type: ignore[attr-defined]
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(cast(str, f.column)) for f in fields)  # concrete: has a column
    table = connection.ops.quote_name(model._meta.db_table)
    # psycopg adapts plain values (numbers, decimals, dates, text) itself; Django's preparation is needed only where it
    # changes the value — the timestamps it fills in and JSON — and costs ten times the copy elsewhere
    prepared = {f.attname for f in fields if isinstance(f, models.JSONField) or getattr(f, "auto_now", False)}
    prepared |= {f.attname for f in fields if getattr(f, "auto_now_add", False)}
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row(
                [
                    f.get_db_prep_save(f.pre_save(obj, True), connection)
                    if f.attname in prepared
                    else getattr(obj, f.attname)
                    for f in fields
                ]
            )
