"""The ``engage`` command: Flask's CLI with Engage's own commands added."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from engage.extensions import db


def _create_app():  # type: ignore[no-untyped-def]
    from engage import create_app

    return create_app()


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete the demo data first and load it afresh.")
@with_appcontext
def demo_command(reset: bool) -> None:
    """Load the demo accounts and campaign (never in production)."""
    from engage.demo_data.loader import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    if current_app.config["ENGAGE_ENV"] == "production":
        raise click.ClickException(
            "Demo data is never loaded in production: set ENGAGE_ENV=development."
        )
    summary = load_demo(db.session, reset=reset)
    db.session.commit()
    parts = [f"{summary.users_created} accounts created"]
    if summary.campaign_created:
        parts.append("campaign created")
    if summary.responses_created:
        parts.append(f"{summary.responses_created} survey responses")
    click.echo(f"Demo data ready ({', '.join(parts)}).")
    for email, _name, role in DEMO_ACCOUNTS:
        click.echo(f"  {role.value:<12} {email}  password: {DEMO_PASSWORD}")


@click.command("create-admin")
@click.option("--email", prompt=True, help="The administrator's e-mail address.")
@click.option("--name", prompt=True, help="The administrator's name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="ENGAGE_ADMIN_PASSWORD",
    help="The password (or set ENGAGE_ADMIN_PASSWORD).",
)
@with_appcontext
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    from engage.accounts.services import AccountError, create_user
    from engage.web.messages import account_error_message

    try:
        create_user(db.session, email=email, name=name, password=password, role="admin")
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(account_error_message(error.code)) from error
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (analysis runs, imports) from the Redis queue."""
    from engage.jobs import work

    try:
        work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error


@click.group("export")
def export_group() -> None:
    """Export data."""


@export_group.command("responses")
@click.argument("slug")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The file to write ('-' for standard output).",
)
@with_appcontext
def export_responses_command(slug: str, fmt: str, output: str) -> None:
    """Export every response of the survey SLUG (all versions), streamed."""
    from engage.exports import services as exports
    from engage.exports.writers import stream_export

    survey = exports.survey_by_slug(db.session, slug)
    if survey is None:
        raise click.ClickException(f"There is no survey with the address {slug!r}.")
    chunks = stream_export(db.session, survey, fmt)
    with click.open_file(output, "wb", atomic=output != "-") as stream:
        for chunk in chunks:
            stream.write(chunk)
    exports.record_export(db.session, survey, fmt, actor=None)
    db.session.commit()
    if output != "-":
        click.echo(f"Responses of {slug} written to {output}.", err=True)


@click.group("import")
def import_group() -> None:
    """Import data."""


@import_group.command("responses")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--channel",
    type=click.Choice(["paper", "interviewer", "session", "import", "web"]),
    default="import",
    show_default=True,
    help="The channel of rows whose channel column is blank.",
)
@with_appcontext
def import_responses_command(slug: str, path: str, channel: str) -> None:
    """Import responses to the survey SLUG from a CSV or XLSX file: all rows or none."""
    from pathlib import Path

    from engage.exports.services import survey_by_slug
    from engage.imports.services import import_responses
    from engage.web.messages import row_problem_message
    from surveys.response_import import ImportRefused

    survey = survey_by_slug(db.session, slug)
    if survey is None:
        raise click.ClickException(f"There is no survey with the address {slug!r}.")
    file = Path(path)
    try:
        count = import_responses(
            db.session, survey, file.read_bytes(), file.name, default_channel=channel
        )
    except ImportRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            where = f"Row {problem.row}" if problem.row else "File"
            if problem.column:
                where += f", column {problem.column}"
            click.echo(f"{where}: {row_problem_message(problem)}", err=True)
        raise click.ClickException("Nothing was imported.") from None
    db.session.commit()
    click.echo(f"{count} responses imported into {slug}.")


cli = FlaskGroup(
    create_app=_create_app,
    help="Engage: community listening and co-creation.",
)
cli.add_command(demo_command)
cli.add_command(create_admin_command)
cli.add_command(worker_command)
cli.add_command(export_group)
cli.add_command(import_group)


def main() -> None:
    cli(prog_name="engage")
