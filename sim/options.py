"""Command-line options that more than one ``kshare`` command takes."""

from __future__ import annotations

import click

#: ``--anonymise``, on every command that runs a scenario: it sets ``organisation.anonymise``.
ANONYMISE = click.option(
    "--anonymise",
    is_flag=True,
    help="Show the chart's ids, department and team names as pseudonyms in every output (sets "
    "organisation.anonymise; a generated organisation has no names, and it changes nothing there).",
)
