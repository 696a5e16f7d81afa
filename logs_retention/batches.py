"""Primary-key batches, in the style of Sentry's BulkDeleteQuery.

Each call changes at most `limit` rows in one short transaction, chosen by a sub-select that
the database runs itself, so the set is never loaded into Python:

    PostgreSQL: DELETE FROM t WHERE id = ANY(ARRAY(SELECT id FROM t WHERE ... LIMIT n))
    SQLite:     DELETE FROM t WHERE id IN (SELECT id FROM t WHERE ... LIMIT n)

The same shape serves UPDATE when rows are anonymised rather than deleted.
"""

from typing import Any

from django.db import connections, router, transaction
from django.db.models import QuerySet


def _target(queryset: QuerySet, limit: int) -> tuple[str, str, str, list, Any]:
    model = queryset.model
    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    pk = model._meta.pk
    inner = queryset.order_by().values_list(pk.attname, flat=True)[:limit]
    sql, params = inner.query.get_compiler(using=alias).as_sql()
    if connection.vendor == "postgresql":
        where = f"{qn(pk.column)} = ANY(ARRAY({sql}))"
    else:
        where = f"{qn(pk.column)} IN ({sql})"
    return alias, qn(model._meta.db_table), where, list(params), connection


def has_dependants(queryset: QuerySet) -> bool:
    """True if other tables point at these rows, so a raw DELETE would skip their on_delete."""
    return any(
        rel.on_delete is not None and not rel.field.model._meta.auto_created
        for rel in queryset.model._meta.related_objects
    )


def delete_batch(queryset: QuerySet, *, limit: int) -> int:
    """Delete up to `limit` rows of `queryset`. Returns how many went."""
    if has_dependants(queryset):
        # Let Django apply on_delete to the rows that point here; still one batch of ids.
        ids = list(queryset.order_by().values_list("pk", flat=True)[:limit])
        if not ids:
            return 0
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            queryset.model._base_manager.filter(pk__in=ids).delete()
        return len(ids)
    alias, table, where, params, connection = _target(queryset, limit)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
        return max(cursor.rowcount, 0)


def update_batch(queryset: QuerySet, *, limit: int, values: dict[str, Any]) -> int:
    """Set `values` (field name -> value) on up to `limit` rows of `queryset`."""
    alias, table, where, params, connection = _target(queryset, limit)
    qn = connection.ops.quote_name
    assignments, set_params = [], []
    for name, value in values.items():
        field = queryset.model._meta.get_field(name)
        assignments.append(f"{qn(field.column)} = %s")
        set_params.append(field.get_db_prep_save(value, connection))
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {where}"  # noqa: S608
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(sql, set_params + params)
        return max(cursor.rowcount, 0)


def ids_batch(queryset: QuerySet, *, limit: int, after: Any = None) -> list:
    """The next `limit` primary keys above `after`, for work that must go row by row."""
    queryset = queryset.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return list(queryset.values_list("pk", flat=True)[:limit])
