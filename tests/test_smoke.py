from django.core.management import call_command


def test_no_missing_migrations(db):
    # Fails (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
