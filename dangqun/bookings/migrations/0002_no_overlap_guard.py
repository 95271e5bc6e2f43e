"""No two active bookings of one space overlap: the database refuses it, whoever writes.

PostgreSQL: an exclusion constraint over (space, [start, end)) for active bookings.
SQLite: triggers that abort an insert or update creating an overlap; writers are
serialized by the IMMEDIATE transactions set in settings, so the check cannot race."""

from django.db import migrations

ACTIVE = "('pending', 'confirmed')"

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap
        EXCLUDE USING gist (space_id WITH =, tstzrange("start", "end", '[)') WITH &&)
        WHERE (status IN {ACTIVE})""",
]
POSTGRES_UNDO = ["ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]


def _sqlite_trigger(event: str) -> str:
    # Datetimes are ISO text in UTC in SQLite, so text comparison orders them correctly.
    exclude_self = "AND b.id != NEW.id" if event == "UPDATE" else ""
    return f"""CREATE TRIGGER booking_no_overlap_{event.lower()}
        BEFORE {event} ON bookings_booking
        WHEN NEW.status IN {ACTIVE}
        BEGIN
            SELECT RAISE(ABORT, 'booking_no_overlap')
            WHERE EXISTS (
                SELECT 1 FROM bookings_booking b
                WHERE b.space_id = NEW.space_id AND b.status IN {ACTIVE} {exclude_self}
                  AND b."start" < NEW."end" AND b."end" > NEW."start");
        END"""


SQLITE = [_sqlite_trigger("INSERT"), _sqlite_trigger("UPDATE")]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS booking_no_overlap_insert",
               "DROP TRIGGER IF EXISTS booking_no_overlap_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
