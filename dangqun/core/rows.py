"""Hand-written SQL for the few paths that run on every request of a rush (the API token
check, reading the activity of a sign-up, taking a place). The ORM compiles each query
anew, and on those paths that cost more than the database did: a sign-up spent most of
its time building SQL. Here the column list is made once per model from its own fields,
so it follows the model, and each value goes through the same converters the ORM applies
(UUIDs, times and JSON differ between the two databases).

On PostgreSQL these statements are also prepared, once per connection: parsing and
planning them was most of the database's time for each (the token check: 0.11 ms of
server time unprepared, 0.03 ms prepared). Django's own queries keep its default
(client-side binding, nothing prepared). Behind a pooler in transaction mode that does
not carry prepared statements, set DANGQUN_PREPARED_STATEMENTS=0."""

import weakref
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

# Converters belong to a connection (one per thread); they are looked up once for each.
_converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@cache
def columns(model, alias: str = "") -> str:
    """Every concrete column of the model, quoted, optionally prefixed by a table alias."""
    quote = connection.ops.quote_name
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + quote(field.column) for field in model._meta.concrete_fields)


@cache
def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _field_converters(model) -> list:
    by_model = _converters.setdefault(connections[DEFAULT_DB_ALIAS], {})
    if model not in by_model:
        by_model[model] = [
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            for col in (f.get_col(model._meta.db_table) for f in model._meta.concrete_fields)
        ]
    return by_model[model]


def cursor():
    """A cursor for hand-written statements: Django's, except that on PostgreSQL each
    statement is prepared on first use and kept by the connection. It is still Django's
    wrapper (errors become django.db errors). Where queries are being logged (DEBUG, a
    test counting them) the plain cursor is used, whose log shows the SQL with its values."""
    if (
        connection.vendor != "postgresql"
        or not settings.PREPARED_STATEMENTS
        or connection.queries_logged
    ):
        return connection.cursor()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))


@cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


def first(model, sql: str, params: list, extra: tuple[str, ...] = ()):
    """The first row of a query selecting columns(model) and then the `extra` columns, as
    an instance of the model carrying the extras as attributes; None without a row."""
    with cursor() as cursor_:
        cursor_.execute(sql, params)
        row = cursor_.fetchone()
    if row is None:
        return None
    values = []
    for (col, converters), value in zip(_field_converters(model), row, strict=False):
        for convert in converters:
            value = convert(value, col, connection)
        values.append(value)
    instance = model.from_db(connection.alias, None, values)
    for name, value in zip(extra, row[len(values) :], strict=True):
        setattr(instance, name, value)
    return instance


def db_value(model, field_name: str, value):
    """A Python value as this database stores the field (a UUID is 32 hex characters on
    SQLite and a uuid on PostgreSQL)."""
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)
