"""Flask commands: `flask --app wsgi seed-demo`, `users create`, ..."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from .extensions import db
from .models import Role, User
from .pipeline import DomainError

users_cli = AppGroup("users", help="Manage user accounts.")
regions_cli = AppGroup("regions", help="The national reference of provinces and regencies.")


@users_cli.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option(help="Asked for when not given.")
def create_user_command(role: str, email: str, name: str, password: str) -> None:
    """Create an account; the password is asked for twice.

    `--role coordinator` makes a programme organiser, who may create programmes.
    Innovators and mentors get their role when a coordinator adds them to a programme.
    """
    from .pipeline.accounts import create_user

    organiser = role == Role.COORDINATOR
    try:
        user = create_user(email=email, name=name, password=password, is_organiser=organiser)
    except DomainError as error:
        db.session.rollback()
        with force_locale("en"):  # the command line speaks English
            raise click.ClickException(str(error.message)) from error
    db.session.commit()
    if organiser:
        click.echo(f"Created organiser {user.email}: they may create programmes.")
    else:
        click.echo(f"Created {user.email}; a coordinator adds them to a programme as {role}.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any user exists.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the NTT demo programme and the three demo accounts (idempotent)."""
    from .demo import seed_demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("Database is not empty; demo data not loaded.")
        return
    summary = seed_demo()
    db.session.commit()
    click.echo(summary)


@regions_cli.command("load")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with provinces.csv and regencies.csv (default: the installed idn-area-data).",
)
def load_regions_command(data_dir: Path | None) -> None:
    """Load or update provinces and regencies/cities with their Kemendagri codes (idempotent)."""
    from .pipeline.regions import REFERENCE_DIR, load_reference, read_reference

    data_dir = data_dir or REFERENCE_DIR
    try:
        rows = read_reference(data_dir)
    except (OSError, ValueError) as error:
        raise click.ClickException(
            f"Cannot read the regions reference in {data_dir} ({error}). Run `npm ci` first."
        ) from error
    summary = load_reference(rows)
    db.session.commit()
    click.echo(f"Regions: {summary}.")


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the running SQLite database and the uploads folder into the new folder PATH."""
    from flask import current_app

    from .backup import BackupRefused, backup

    config = current_app.config
    uploads = Path(config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    try:
        done = backup(config["SQLALCHEMY_DATABASE_URI"], uploads, path)
    except BackupRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Backed up the database to {done['database']} ({done['tables']} tables, "
        f"integrity ok) and {done['uploads']} uploaded files."
    )
    click.echo("To restore: stop the app, copy the file over its database and uploads/ over")
    click.echo("its uploads folder, or point DATABASE_URL and UPLOAD_FOLDER at the copy.")


@click.command("security-log")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
def security_log_command(limit: int) -> None:
    """Print the security log, newest first: logins, logouts, password changes."""
    from .pipeline import security_log

    for entry in security_log.page(size=limit).rows:
        who = entry.email or "-"
        when = entry.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        click.echo(f"{when}  {entry.kind:<16}  {who}  {entry.address or '-'}")


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(security_log_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(regions_cli)
    app.cli.add_command(seed_demo_command)

    from .reminders.cli import reminders_cli, scheduler_command

    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
