"""Database routing for the optional read replica (see newsroom.replica)."""

from django.db import DEFAULT_DB_ALIAS

from newsroom import replica


class PrimaryReplicaRouter:
    """Writes and migrations go to the primary (`default`); reads go to the
    replica only where newsroom.replica allows it."""

    def db_for_read(self, model, **hints):
        return replica.REPLICA if replica.reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        replica.note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, replica.REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
