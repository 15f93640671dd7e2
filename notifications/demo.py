"""Demo seeding (called by accounts' seed_demo): the periodic tasks and default wording."""

from django.core.management import call_command

from .services import seed_default_templates


def seed(stdout) -> None:
    call_command("setup_periodic_tasks", stdout=stdout)
    seed_default_templates()
