from django.core.management.base import BaseCommand

from syncs.services.schedules import schedules_sync


class Command(BaseCommand):
    help = "Create/update/delete the django-q2 schedules so they match every integration's settings (idempotent)."

    def handle(self, *args, **options):
        result = schedules_sync()
        self.stdout.write(
            self.style.SUCCESS(
                f"Schedules in sync: {result.created} created, {result.updated} updated, {result.deleted} deleted."
            )
        )
