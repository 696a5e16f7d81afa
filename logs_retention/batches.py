"""Primary-key batches, in the style of Sentry's BulkDeleteQuery.

Each call changes at most `limit` rows in one short transaction, chosen by a sub-select that
the database runs itself, so the set is never loaded into Python:

    PostgreSQL: DELETE FROM t WHERE ctid = ANY(ARRAY(SELECT ctid FROM t WHERE ... LIMIT n))
    SQLite:     DELETE FROM t WHERE id IN (SELECT id FROM t WHERE ... )

The same shape serves UPDATE when rows are anonymised rather than deleted.

A batch is the next `limit` matching ids above a cursor (`after`, the last id of the previous
batch): `SELECT id ... WHERE id > after ORDER BY id LIMIT n`. On PostgreSQL the batch, the
change and the new cursor are one statement (a CTE over that sub-select); on SQLite the
cursor comes first, then the change. Walking the key this way, a batch never re-reads the
index entries of rows earlier batches removed (they stay in the index until VACUUM), so the
cost of a batch does not grow as the run goes on.
"""

from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL


def has_dependants(queryset: QuerySet) -> bool:
    """True if other tables point at these rows, so a raw DELETE would skip their on_delete."""
    return any(
        rel.on_delete is not None and not rel.field.model._meta.auto_created
        for rel in queryset.model._meta.related_objects
    )


# Relaxed commits: on PostgreSQL a batch's COMMIT returns before its WAL reaches the disk
# (SET LOCAL synchronous_commit TO OFF, for that transaction only). A crash of the database
# server may then lose the last few batches, a fraction of a second of work, which the next run
# simply does again: the jobs are idempotent. Not waiting for an fsync per batch is most of
# what separates many short transactions from one long DELETE.


def _keys(
    queryset: QuerySet, *, limit: int, after: Any, alias: str, tid: bool = False
) -> tuple[str, list]:
    """SQL for the next `limit` matching ids above `after`, as column `batch_key`.

    With `tid`, also each row's physical address (PostgreSQL's ctid), as `batch_tid`.
    """
    window = queryset.order_by("pk")
    if after is not None:
        window = window.filter(pk__gt=after)
    columns = {"batch_key": F("pk")}
    if tid:
        table = connections[alias].ops.quote_name(queryset.model._meta.db_table)
        columns["batch_tid"] = RawSQL(f"{table}.ctid", [])  # noqa: S611 - a quoted table name
    keys = window.values(**columns)[:limit]
    sql, params = keys.query.get_compiler(using=alias).as_sql()
    return sql, list(params)


def _last_id(queryset: QuerySet, *, limit: int, after: Any, alias: str) -> tuple[Any, int]:
    """The highest id among the next `limit` matching rows above `after`, and their number."""
    sql, params = _keys(queryset, limit=limit, after=after, alias=alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT max(batch.batch_key), count(*) FROM ({sql}) batch", params)  # noqa: S608
        return cursor.fetchone()


def _where(queryset: QuerySet, *, after: Any, last: Any, alias: str) -> tuple[str, list]:
    """SQLite: `pk IN (SELECT pk ... WHERE filter AND pk > after AND pk <= last)`."""
    qn = connections[alias].ops.quote_name
    window = queryset.order_by().filter(pk__lte=last)
    if after is not None:
        window = window.filter(pk__gt=after)
    sql, params = window.values_list("pk", flat=True).query.get_compiler(using=alias).as_sql()
    return f"{qn(queryset.model._meta.pk.column)} IN ({sql})", list(params)


def _change(
    queryset: QuerySet, *, limit: int, after: Any, change: str, change_params: list
) -> tuple[int, Any]:
    """Run `change` ("DELETE FROM t" or "UPDATE t SET ...") on the next batch."""
    alias = router.db_for_write(queryset.model)
    connection = connections[alias]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            keys, params = _keys(queryset, limit=limit, after=after, alias=alias, tid=True)
            # One round trip: relax this transaction's commit (see above), pick the batch,
            # change it, and return the count and the new cursor. The rows are reached by the
            # addresses the sub-select just read (a TID scan), not by one primary-key index
            # probe each: within one statement an address cannot be reused, and a row changed
            # meanwhile by someone else has moved, so it is left for the next run.
            # Identifiers are quoted by Django; values travel as parameters.
            relax = "SELECT set_config('synchronous_commit', 'off', true) AS done"
            batch = f"WITH relaxed AS MATERIALIZED ({relax}), batch AS MATERIALIZED ({keys})"
            rows = f"{change} WHERE ctid = ANY(ARRAY(SELECT batch_tid FROM batch)) RETURNING 1"  # noqa: S608
            totals = (
                "SELECT (SELECT count(*) FROM changed), (SELECT max(batch_key) FROM batch), "
                "(SELECT count(*) FROM batch), (SELECT done FROM relaxed)"
            )
            sql = f"{batch}, changed AS ({rows}) {totals}"
            cursor.execute(sql, params + change_params)
            changed, last, picked, _relaxed = cursor.fetchone()
        else:
            last, picked = _last_id(queryset, limit=limit, after=after, alias=alias)
            changed = 0
            if last is not None:
                where, params = _where(queryset, after=after, last=last, alias=alias)
                cursor.execute(f"{change} WHERE {where}", change_params + params)
                changed = max(cursor.rowcount, 0)
    # A short batch was the last one: nothing matched beyond it when it was picked.
    return changed, (last if picked == limit else None)


def delete_batch(queryset: QuerySet, *, limit: int, after: Any = None) -> tuple[int, Any]:
    """Delete the next batch of `queryset`. Returns (rows deleted, cursor for the next batch).

    The cursor is None after the last batch.
    """
    model = queryset.model
    alias = router.db_for_write(model)
    if has_dependants(queryset):
        # Let Django apply on_delete to the rows that point here; still one batch of ids.
        with transaction.atomic(using=alias, savepoint=False):
            ids = ids_batch(queryset, limit=limit, after=after)
            if ids:
                model._base_manager.filter(pk__in=ids).delete()
            return len(ids), (ids[-1] if len(ids) == limit else None)
    table = connections[alias].ops.quote_name(model._meta.db_table)
    return _change(
        queryset,
        limit=limit,
        after=after,
        change=f"DELETE FROM {table}",  # noqa: S608
        change_params=[],
    )


def update_batch(
    queryset: QuerySet, *, limit: int, values: dict[str, Any], after: Any = None
) -> tuple[int, Any]:
    """Set `values` (field name -> value) on the next batch. Returns (rows changed, cursor)."""
    model = queryset.model
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    assignments, set_params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        assignments.append(f"{qn(field.column)} = %s")
        set_params.append(field.get_db_prep_save(value, connection))
    change = f"UPDATE {qn(model._meta.db_table)} SET {', '.join(assignments)}"  # noqa: S608
    return _change(queryset, limit=limit, after=after, change=change, change_params=set_params)


def ids_batch(queryset: QuerySet, *, limit: int, after: Any = None) -> list:
    """The next `limit` primary keys above `after`, for work that must go row by row."""
    queryset = queryset.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return list(queryset.values_list("pk", flat=True)[:limit])
