from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from jobpilot.core.errors import DomainError
from jobpilot.ingest.adapters import KINDS
from jobpilot.ingest.services import source_create

UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_every(value: str) -> timedelta:
    """ "15m", "2h", "1d"."""
    number, unit = value[:-1], value[-1:]
    if unit not in UNITS or not number.isdigit():
        raise CommandError(f"--every takes a number and m, h or d (15m, 2h, 1d), not {value!r}.")
    return timedelta(**{UNITS[unit]: int(number)})


class Command(BaseCommand):
    help = "Add a source of imported jobs: its kind and the URL of its public API or feed."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("url")
        parser.add_argument("--name", default="")
        parser.add_argument("--company", default="", help="the employer, for feeds that do not name it")
        parser.add_argument("--every", default="1h", help="how often it runs: 15m to 1d (default 1h)")

    def handle(self, *args, kind, url, name, company, every, **options):
        try:
            source = source_create(
                kind=kind, url=url, name=name, every=parse_every(every), company_name=company
            )
        except DomainError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(f"Source {source.pk} added: {source.name} ({source.kind}), every {source.every}.")
