"""SQL persistence: tables, engine, migrations, event store, snapshots, catalog."""
