"""The ``engage`` command: Flask's CLI with Engage's own commands added."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from engage.extensions import db

CHANNELS = ("web", "interviewer", "paper", "session", "import")


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


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Copy the SQLite database to PATH, safely while Engage runs."""
    from engage.backup import BackupError, backup_database

    try:
        size = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path} ({size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (stop Engage first)."""
    from engage.backup import BackupError, inspect_backup, restore_database, sqlite_path

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        sqlite_path(url)
        inspect_backup(path)
        if not yes:
            click.confirm(
                f"Replace the database with {path}? Everything since that backup is lost.",
                abort=True,
            )
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
        info, kept = restore_database(url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if kept is not None:
        click.echo(f"The database as it was is kept at {kept}.")
    click.echo(f"Restored {path} (schema revision {info.revision}).")
    if info.is_older:
        click.echo("The backup's schema is older than this version: run `engage db upgrade` now.")


@click.command("purge")
@click.option("--in-background", is_flag=True, help="Queue the purge for `engage worker` instead.")
@with_appcontext
def purge_command(in_background: bool) -> None:
    """Delete residents' contact details of campaigns whose retention date has passed,
    and export files past their expiry."""
    from engage.exports.files import PURGE_JOB as EXPORTS_PURGE_JOB
    from engage.jobs import enqueue, run_job
    from engage.privacy.services import PURGE_JOB

    if in_background:
        enqueue(EXPORTS_PURGE_JOB)
        job_id = enqueue(PURGE_JOB)
        click.echo(f"Purge queued (job {job_id})." if job_id else "Purge done (no queue).")
        return
    purged = run_job(PURGE_JOB)
    for campaign in purged:
        click.echo(f"{campaign.title}: {campaign.contacts_deleted} contact details deleted.")
    click.echo(f"Purge done: {len(purged)} campaign(s) had contact details to delete.")
    exports = run_job(EXPORTS_PURGE_JOB)
    click.echo(f"{exports} expired export file(s) deleted.")


@click.command("close-rounds")
@with_appcontext
def close_rounds_command() -> None:
    """Close the co-design rounds whose closing date has passed (run it daily)."""
    from engage.extensions import db
    from engage.orm import utcnow
    from engage.rounds.services import close_due_rounds

    closed = close_due_rounds(db.session, utcnow().date())
    db.session.commit()
    for found in closed:
        click.echo(f"Closed /s/{found.survey.slug} (closing date {found.closes_on}).")
    click.echo(f"{len(closed)} round(s) closed.")


@click.command("delete-resident")
@click.option("--email", "contact", help="The e-mail address (or phone number) they left.")
@click.option("--phone", "phone", help="The phone number they left.")
@click.option("--response", "reference", help="A response number, or a resume code.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_resident_command(
    contact: str | None, phone: str | None, reference: str | None, yes: bool
) -> None:
    """Delete one resident's responses and contact details, at their request."""
    from engage.privacy.services import (
        ReferenceInvalid,
        delete_resident_data,
        search_resident_data,
    )

    contact = contact or phone
    if not contact and not reference:
        raise click.UsageError("Give --email, --phone or --response.")
    try:
        data = search_resident_data(db.session, contact=contact, reference=reference)
    except ReferenceInvalid as error:
        raise click.ClickException(
            "--response takes a response number, like 1234, or a resume code, like K7MX-3PQA."
        ) from error
    if data.is_empty:
        raise click.ClickException("Nothing was found for that resident.")
    for response in data.responses:
        click.echo(
            f"response {response.id}: /s/{response.version.survey.slug}, "
            f"{response.submitted_at:%Y-%m-%d %H:%M} UTC, {response.language}"
        )
    click.echo(
        f"{len(data.responses)} response(s) with {data.answer_count} answer(s), "
        f"{data.feedback_count} feedback item(s), {data.draft_count} draft(s); "
        f"{len(data.contacts)} contact detail(s)."
    )
    if not yes:
        click.confirm("Delete all of this? It cannot be undone.", abort=True)
    counts = delete_resident_data(db.session, data, found_by=data.found_by, via="command line")
    db.session.commit()
    click.echo(
        f"Deleted {counts['responses']} response(s) and {counts['contacts']} contact detail(s)."
    )


@click.group("export")
def export_group() -> None:
    """Export data."""


def _export_wave(survey: Any, number: int | None, wave_numbered: Any) -> Any:
    """The survey's wave ``number`` (``--wave``), or a usage error naming how many it has."""
    if number is None:
        return None
    wave = wave_numbered(survey, number)
    if wave is None:
        raise click.BadParameter(
            f"{survey.slug} has no wave {number} (it has {survey.wave_count}).",
            param_hint="--wave",
        )
    return wave


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
@click.option(
    "--from",
    "submitted_from",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Sent on or after this day (UTC).",
)
@click.option(
    "--to",
    "submitted_to",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Sent on or before this day (UTC).",
)
@click.option(
    "--channel", type=click.Choice(list(CHANNELS)), help="Only responses of this channel."
)
@click.option("--language", help="Only responses answered in this language (a code, e.g. es).")
@click.option("--wave", type=int, metavar="N", help="Only responses sent during wave N.")
@click.option("--labels", metavar="LANG", help="Answers as their labels in LANG, not as codes.")
@click.option("--codes", is_flag=True, help="Answers as codes, as stored (the default).")
@click.option(
    "--codebook",
    is_flag=True,
    help="Add the codebook: a second sheet (xlsx), a 'codebook' object (json), or for csv "
    "a zip of responses.csv and codebook.csv.",
)
@with_appcontext
def export_responses_command(
    slug: str,
    fmt: str,
    output: str,
    submitted_from: datetime | None,
    submitted_to: datetime | None,
    channel: str | None,
    language: str | None,
    wave: int | None,
    labels: str | None,
    codes: bool,
    codebook: bool,
) -> None:
    """Export the responses of the survey SLUG (all versions, set-aside ones left out),
    streamed."""
    from engage.campaigns.waves import wave_numbered
    from engage.exports import services as exports
    from engage.exports.codebook import languages_of
    from engage.exports.writers import stream_export

    survey = exports.survey_by_slug(db.session, slug)
    if survey is None:
        raise click.ClickException(f"There is no survey with the address {slug!r}.")
    languages = languages_of(survey)
    if labels and codes:
        raise click.UsageError("Give --labels LANG or --codes, not both.")
    for name, value in (("--labels", labels), ("--language", language)):
        if value and value not in languages:
            offered = ", ".join(languages) or "none"
            raise click.BadParameter(
                f"{value!r} is not a language of {slug} ({offered}).", param_hint=name
            )
    if submitted_from and submitted_to and submitted_to < submitted_from:
        raise click.BadParameter("must be on or after --from.", param_hint="--to")
    options = exports.ExportOptions(
        format=fmt,
        filter=exports.ExportFilter(
            submitted_from=submitted_from.date() if submitted_from else None,
            submitted_to=submitted_to.date() if submitted_to else None,
            channel=channel,
            language=language,
            wave=_export_wave(survey, wave, wave_numbered),
        ),
        labels=labels,
        codebook=codebook,
    )
    chunks = stream_export(db.session, survey, options)
    with click.open_file(output, "wb", atomic=output != "-") as stream:
        for chunk in chunks:
            stream.write(chunk)
    exports.record_export(db.session, survey, options, actor=None)
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


@import_group.command("survey")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--campaign", "campaign_slug", required=True, help="The campaign's short name.")
@click.option("--slug", default="", help="The survey's address (default: the file's form_id).")
@click.option("--dry-run", is_flag=True, help="Print the report; create nothing.")
@with_appcontext
def import_survey_command(path: str, campaign_slug: str, slug: str, dry_run: bool) -> None:
    """Import a survey from an XLSForm (.xlsx, .xls, CSV, Markdown) or Engage JSON file.

    Prints each row left out or changed, with its sheet, row, column and cause. Exits 0
    when the survey is imported (or would be, with --dry-run), 1 with the reasons when not.
    """
    from engage.builder import services as builder
    from engage.builder.survey_import import address_problems, read_survey_file
    from engage.models import Campaign
    from engage.web.messages import (
        IMPORT_OUTCOMES,
        describe_problem,
        import_problem_line,
        import_problem_message,
    )
    from engage.web.uploads import import_limits

    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == campaign_slug))
    if campaign is None:
        raise click.ClickException(f"There is no campaign with the short name {campaign_slug!r}.")
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"The file cannot be read: {error.strerror or error}") from None
    preview = read_survey_file(Path(path).name, data, import_limits())
    for problem in preview.report:
        click.echo(f"{IMPORT_OUTCOMES.get(problem.outcome, '')}: {import_problem_line(problem)}")
    reasons = [import_problem_line(p) for p in preview.problems]
    reasons += [
        f"{p.path}: {import_problem_message(p.code, p.params)}" for p in preview.definition_problems
    ]
    if preview.definition is not None:
        address = slug.strip() or preview.definition.slug
        reasons += [describe_problem(p, {}) for p in address_problems(db.session, address)]
    if reasons:
        for reason in reasons:
            click.echo(reason, err=True)
        raise click.ClickException("Nothing was imported.")
    assert preview.definition is not None
    counts = preview.counts
    summary = f"{counts['questions']} questions on {counts['pages']} pages"
    if dry_run:
        click.echo(f"Would import {summary} at /s/{address} (dry run: nothing was created).")
        return
    try:
        survey = builder.import_survey(
            db.session, campaign=campaign, definition=preview.definition, slug=address
        )
    except builder.DraftRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(describe_problem(problem, {}), err=True)
        raise click.ClickException("Nothing was imported.") from None
    db.session.commit()
    click.echo(f"Imported {summary} as a draft at /s/{survey.slug}.")


cli = FlaskGroup(
    create_app=_create_app,
    help="Engage: community listening and co-creation.",
)
cli.add_command(demo_command)
cli.add_command(create_admin_command)
cli.add_command(worker_command)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(purge_command)
cli.add_command(delete_resident_command)
cli.add_command(close_rounds_command)
cli.add_command(export_group)
cli.add_command(import_group)


def main() -> None:
    cli(prog_name="engage")
