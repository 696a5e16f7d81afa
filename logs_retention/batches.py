"""Primary-key batches, in the style of Sentry's BulkDeleteQuery.

Each call changes at most `limit` rows in one short transaction. The database itself picks
the batch, so the set is never loaded into Python: first the batch's last key,

    SELECT max(id), count(*) FROM (SELECT id FROM t WHERE <filter> AND id > after
                                   ORDER BY id LIMIT n)

then the change, bounded by that key range:

    DELETE FROM t WHERE <filter> AND id > after AND id <= last

(or, when the filter needs a join, `DELETE FROM t WHERE id = ANY(ARRAY(SELECT id ...))` on
PostgreSQL and `... WHERE id IN (SELECT id ...)` on SQLite). The same shape serves UPDATE when
rows are anonymised rather than deleted. `last` is the cursor of the next batch: walking the
key this way, a batch never re-reads the index entries of rows earlier batches removed (they
stay in the index until VACUUM), so the cost of a batch does not grow as the run goes on.
"""

from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, QuerySet

from jobtrax import pagecache


def has_dependants(queryset: QuerySet) -> bool:
    """True if other tables point at these rows, so a raw DELETE would skip their on_delete."""
    return any(
        rel.on_delete is not None and not rel.field.model._meta.auto_created
        for rel in queryset.model._meta.related_objects
    )


# Relaxed commits: on PostgreSQL a batch's COMMIT returns before its WAL reaches the disk
# (synchronous_commit off, for that transaction only). A crash of the database
# server may then lose the last few batches, a fraction of a second of work, which the next run
# simply does again: the jobs are idempotent. Not waiting for an fsync per batch is most of
# what separates many short transactions from one long DELETE.


def _keys(
    queryset: QuerySet, *, limit: int, after: Any, alias: str, order: str
) -> tuple[str, list]:
    """SQL for the `order` values of the next `limit` matching rows above `after`."""
    window = queryset.order_by(order)
    if after is not None:
        window = window.filter(**{f"{order}__gt": after})
    keys = window.values(batch_key=F(order))[:limit]
    sql, params = keys.query.get_compiler(using=alias).as_sql()
    return sql, list(params)


def _bounds(
    queryset: QuerySet, *, limit: int, after: Any, alias: str, order: str
) -> tuple[Any, int]:
    """The highest key among the next `limit` matching rows above `after`, and their number."""
    connection = connections[alias]
    sql, params = _keys(queryset, limit=limit, after=after, alias=alias, order=order)
    relax = ""
    if connection.vendor == "postgresql":  # see "Relaxed commits" above
        relax = "set_config('synchronous_commit', 'off', true), "
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {relax}max(batch.batch_key), count(*) FROM ({sql}) batch",  # noqa: S608
            params,
        )
        row = cursor.fetchone()
    return _from_db(row[-2], queryset.model, order, connection), row[-1]


def _from_db(value: Any, model, order: str, connection) -> Any:
    """A raw column value as the ORM would return it (SQLite returns datetimes as text)."""
    if value is None:
        return None
    field = model._meta.pk if order == "pk" else model._meta.get_field(order)
    column = field.get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    for converter in converters:
        value = converter(value, column, connection)
    return value


def _window(queryset: QuerySet, *, after: Any, last: Any, order: str) -> QuerySet:
    window = queryset.order_by().filter(**{f"{order}__lte": last})
    return window if after is None else window.filter(**{f"{order}__gt": after})


def _range_where(queryset: QuerySet, *, after: Any, last: Any, alias: str, order: str):
    """`<filter> AND id > after AND id <= last` on the table itself, or None if it needs a join.

    One index range scan reaches the batch, where `id = ANY(ARRAY(...))` would probe the
    primary-key index once per row: about twice the work (see benchmarks/purge.py).
    """
    query = _window(queryset, after=after, last=last, order=order).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.compile(query.where)
    if len(query.alias_map) > 1:
        return None
    return sql, list(params)


def _subselect_where(queryset: QuerySet, *, after: Any, last: Any, alias: str, order: str):
    """`id = ANY(ARRAY(SELECT id ...))` (PostgreSQL) or `id IN (SELECT id ...)` (SQLite)."""
    connection = connections[alias]
    pk = connection.ops.quote_name(queryset.model._meta.pk.column)
    window = _window(queryset, after=after, last=last, order=order)
    window = window.values_list("pk", flat=True)
    sql, params = window.query.get_compiler(using=alias).as_sql()
    if connection.vendor == "postgresql":
        return f"{pk} = ANY(ARRAY({sql}))", list(params)
    return f"{pk} IN ({sql})", list(params)


def _owners(queryset: QuerySet, bounds: dict) -> list[int]:
    """The accounts the batch's rows belong to, when their pages show such rows."""
    fields = pagecache.owner_fields(queryset.model)
    if not fields:
        return []
    window = _window(queryset, after=bounds["after"], last=bounds["last"], order=bounds["order"])
    owners: set[int] = set()
    for name in fields:
        column = "pk" if name == "pk" else f"{name}_id"
        owners.update(window.values_list(column, flat=True).distinct().order_by())
    return [pk for pk in owners if pk is not None]


def _change(
    queryset: QuerySet, *, limit: int, after: Any, order: str, change: str, change_params: list
) -> tuple[int, Any]:
    """Run `change` ("DELETE FROM t" or "UPDATE t SET ...") on the next batch."""
    alias = router.db_for_write(queryset.model)
    connection = connections[alias]
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        last, picked = _bounds(queryset, limit=limit, after=after, alias=alias, order=order)
        changed = 0
        if last is not None:
            bounds = {"after": after, "last": last, "alias": alias, "order": order}
            where = _range_where(queryset, **bounds) or _subselect_where(queryset, **bounds)
            owners = _owners(queryset, bounds)
            # Identifiers are quoted by Django; values travel as parameters.
            cursor.execute(f"{change} WHERE {where[0]}", change_params + where[1])
            changed = max(cursor.rowcount, 0)
            # Rows the person's pages show: their cached parts are rendered afresh.
            pagecache.bump(owners)
    # A short batch was the last one: nothing matched beyond it when it was picked.
    return changed, (last if picked == limit else None)


def delete_batch(
    queryset: QuerySet, *, limit: int, after: Any = None, order: str = "pk"
) -> tuple[int, Any]:
    """Delete the next batch of `queryset`. Returns (rows deleted, cursor for the next batch).

    Batches follow `order`: the primary key, or an indexed column that the filter bounds
    (`created_at`), whose index then picks the batch without reading the table. A batch then
    runs over `limit` by the rows sharing its last value, if any. The cursor is None after the
    last batch.
    """
    model = queryset.model
    alias = router.db_for_write(model)
    if has_dependants(queryset):
        # Let Django apply on_delete to the rows that point here; still one batch of ids.
        with transaction.atomic(using=alias, savepoint=False):
            # This path walks the primary key whatever `order` says; its cursor is an id.
            ids = ids_batch(queryset, limit=limit, after=after)
            if ids:
                with pagecache.deferred():  # one bump per account, not one per row
                    model._base_manager.filter(pk__in=ids).delete()
            return len(ids), (ids[-1] if len(ids) == limit else None)
    table = connections[alias].ops.quote_name(model._meta.db_table)
    return _change(
        queryset,
        limit=limit,
        after=after,
        order=order,
        change=f"DELETE FROM {table}",  # noqa: S608
        change_params=[],
    )


def update_batch(
    queryset: QuerySet,
    *,
    limit: int,
    values: dict[str, Any],
    after: Any = None,
    order: str = "pk",
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
    return _change(
        queryset, limit=limit, after=after, order=order, change=change, change_params=set_params
    )


def ids_batch(queryset: QuerySet, *, limit: int, after: Any = None) -> list:
    """The next `limit` primary keys above `after`, for work that must go row by row."""
    queryset = queryset.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    return list(queryset.values_list("pk", flat=True)[:limit])
