"""The `stratui` command: the TUI by default, and the same core from the shell.

Every command takes --db, --today and --config; errors print one line and exit non-zero.
Everything it prints goes through `_write`, so record text can never command the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

# Only what every command needs: `--version`, `--help`, `locate` and `schema` must start at
# once, so the store, pydantic's models, the bank holidays and Textual load where they are used.
from stratui import __version__
from stratui.text import escape, escape_json, one_line

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (type checkers read it as True) without importing typing
if TYPE_CHECKING:
    from stratui.context import Context
    from stratui.files import Access

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A clear, one-line reason the command could not do what was asked."""


def _write(text: str, *, error: bool = False, json_document: bool = False) -> None:
    """The one way out to the terminal (or a pipe): control and bidi characters in any text
    (a record's, a file name, an error quoting a file) are written as visible stand-ins, or as
    \\u escapes in JSON, which then reads back to the same data."""
    stream = sys.stderr if error else sys.stdout
    stream.write(escape_json(text) if json_document else escape(text))
    stream.flush()  # `serve` prints its address and then runs for hours: it must arrive now


def _say(line: str = "", *, error: bool = False) -> None:
    _write(line + "\n", error=error)


def build_parser() -> argparse.ArgumentParser:
    top_level = _common_options(argparse.ArgumentParser(add_help=False))
    # Repeated on each command so they may come after it; SUPPRESS keeps a value given before
    # the command from being reset to None by the command's own parser.
    common = _common_options(argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS))

    parser = argparse.ArgumentParser(
        prog="stratui",
        description="Record child-protection strategy discussions and track their actions and deadlines.",
        parents=[top_level],
    )
    parser.add_argument("--version", action="version", version=f"stratui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("tui", parents=[common], help="open the terminal app (the default)")

    demo = commands.add_parser("demo", parents=[common], help="write realistic demo data into the database")
    demo.add_argument("--count", type=_positive_int, default=60, help="how many discussions (default 60)")
    demo.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    demo.add_argument(
        "--nation",
        choices=("england", "wales", "scotland", "northern-ireland"),
        help="whose words, agencies and calendar the demo uses (default: the settings' nation)",
    )

    dashboard = commands.add_parser("dashboard", parents=[common], help="print what the dashboard shows")
    dashboard.add_argument("--json", action="store_true", help="as JSON")
    dashboard.add_argument("--all", action="store_true", help="every open deadline, not only the warning window")
    _output_option(dashboard)

    handover = commands.add_parser(
        "handover", parents=[common], help="print the duty handover: overdue, due today, due next working day"
    )
    handover.add_argument("--md", action="store_true", help="as Markdown (to print or send)")
    _output_option(handover)

    export = commands.add_parser("export", parents=[common], help="export one discussion, or all as a backup")
    export.add_argument("id", nargs="?", help="discussion id (or a unique prefix of it)")
    export.add_argument("--all", action="store_true", help="every discussion (JSON only): a full backup")
    export.add_argument("--format", choices=("md", "html", "json"), default="md")
    _output_option(export)
    export.add_argument(
        "--share-with-team", action="store_true", help="with -o: let the team group read and change the file (0660)"
    )

    import_ = commands.add_parser("import", parents=[common], help="load discussions written by export --format json")
    import_.add_argument("file", type=Path)

    commands.add_parser("schema", parents=[common], help="print the JSON Schema of a discussion")

    check = commands.add_parser("check", parents=[common], help="read every file and report damage")
    check.add_argument("--repair", action="store_true", help="rebuild the index from the discussion files")
    check.add_argument(
        "--restore",
        metavar="ID",
        help="write back the last audited version of a discussion changed outside stratui (with an audit entry)",
    )

    audit = commands.add_parser(
        "audit", parents=[common], help="the audit trail: `audit verify` checks it, `audit ID` shows a record's history"
    )
    audit.add_argument("target", metavar="verify|ID", help="'verify', or a discussion id (or a unique prefix of it)")
    audit.add_argument("--full", action="store_true", help="show long values in full, and every field of a new record")

    commands.add_parser("locate", parents=[common], help="print the paths stratui uses")

    serve = commands.add_parser(
        "serve", parents=[common], help="the app in a web browser, on this machine only (needs textual-serve)"
    )
    serve.add_argument("--port", type=_positive_int, default=8000, help="port on 127.0.0.1 (default 8000)")
    return parser


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE (yours only: 0600) instead of standard output"
    )


def _common_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", type=Path, help="database folder (default: STRATUI_DB or your data folder)")
    parser.add_argument("--today", help="treat this date (YYYY-MM-DD) as today (default: STRATUI_TODAY or the clock)")
    parser.add_argument("--config", type=Path, help="settings file (default: STRATUI_CONFIG or your config folder)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "tui"
    try:
        if command == "schema":
            return _schema()
        if command == "locate":
            return _locate(args)
        from stratui.context import open_context

        context = open_context(db=args.db, config=args.config, today=args.today)
        for note in context.store.recovered:  # a bulk write killed part-way, settled at this open
            _say(f"stratui: {note}", error=True)
        handler = {
            "tui": _tui,
            "demo": _demo,
            "dashboard": _dashboard,
            "handover": _handover,
            "export": _export,
            "import": _import,
            "check": _check,
            "audit": _audit,
            "serve": _serve,
        }[command]
        return handler(context, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and cut short: not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except _user_errors() as exc:
        _say(f"stratui: {exc}", error=True)
        return EXIT_ERROR
    except Exception as exc:  # never a traceback, and nothing of the record in the message
        if os.environ.get("STRATUI_DEBUG"):
            raise
        _say(
            f"stratui: unexpected error ({type(exc).__name__}); nothing more was written. "
            "Set STRATUI_DEBUG=1 to see details.",
            error=True,
        )
        return EXIT_ERROR


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors that are the user's to fix, said in one line. Imported only once one has
    happened (an except clause is evaluated then), so a small command never loads the store."""
    from stratui.context import ContextError
    from stratui.exchange import ImportFileError
    from stratui.store import StoreError

    return (CommandError, ContextError, ImportFileError, StoreError)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _tui(context: Context, args: argparse.Namespace) -> int:
    from stratui.app import make_app  # Textual loads only when the TUI is wanted

    app = make_app(context)
    app.run(mouse=False)
    return app.return_code or 0


def _demo(context: Context, args: argparse.Namespace) -> int:
    from stratui.demo import stream_demo

    nation = args.nation or context.settings.nation
    discussions = stream_demo(args.count, args.seed, context.today, nation)
    command = f"stratui demo --count {args.count} --seed {args.seed} --nation {nation} --today {context.today}"
    written = context.store.save_all_new(discussions, command=command, total=args.count)
    skipped = args.count - written
    _say(
        f"wrote {written} demo discussions to {context.store.root}"
        + (f" ({skipped} were already there)" if skipped else "")
    )
    return 0


def _dashboard(context: Context, args: argparse.Namespace) -> int:
    import json

    from stratui.deadlines import compute_deadlines, dashboard_items

    summaries = context.store.summaries()
    pick = compute_deadlines if args.all else dashboard_items
    items = pick(summaries, context.today, context.settings)
    if args.json:
        document = json.dumps([item.to_json() for item in items], indent=2, ensure_ascii=False)
        _deliver(document, args.output, json_document=True)
        return 0
    lines = [] if items else ["Nothing overdue, due today or due soon."]
    for item in items:
        # One line per item: a line break in a title must not start what looks like another row.
        case_ref, owner, title = one_line(item.case_ref), one_line(item.owner), one_line(item.title)
        lines.append(f"{item.due.isoformat()}  {item.state.value:<9}  {case_ref:<14}  {owner:<20}  {title}")
    _deliver("\n".join(lines), args.output)
    return 0


def _handover(context: Context, args: argparse.Namespace) -> int:
    from stratui.handover import build_handover, handover_markdown, handover_text

    handover = build_handover(context.store.summaries(), context.today, context.settings)
    _deliver(handover_markdown(handover) if args.md else handover_text(handover), args.output)
    return 0


def _export(context: Context, args: argparse.Namespace) -> int:
    from stratui import exchange, minutes

    if args.all:
        if args.format != "json":
            raise CommandError("export --all writes a full backup as JSON: use --format json")
        text = exchange.dump_all(context.store.discussions())
    else:
        if not args.id:
            raise CommandError("name a discussion id to export, or use --all --format json")
        discussion = context.find_discussion(args.id)
        if args.format == "json":
            text = exchange.dump_one(discussion)
        else:
            render = minutes.render_html if args.format == "html" else minutes.render_markdown
            text = render(discussion, context.settings.minutes)  # the team's marking and council
    if args.share_with_team and not (args.output and context.settings.team_group):
        raise CommandError("--share-with-team needs -o FILE and a team_group in the settings")
    shared = context.access if args.share_with_team else None
    _deliver(text, args.output, json_document=args.format == "json", shared=shared)
    return 0


def _deliver(text: str, output: Path | None, *, json_document: bool = False, shared: Access | None = None) -> None:
    """A document to standard output, or with -o to a file written whole (never half) and the
    user's own (0600): minutes and lists about children stay private unless `shared` (the
    team's access) is asked for."""
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        _write(text, json_document=json_document)
        return
    from stratui.files import PRIVATE, atomic_write

    # A file is read in a terminal too (cat, less -r): it gets the same escaping.
    text = escape_json(text) if json_document else escape(text)
    try:
        atomic_write(output, text.encode("utf-8"), PRIVATE if shared is None else shared)
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
    _say(f"wrote {output}", error=True)


def _import(context: Context, args: argparse.Namespace) -> int:
    from stratui import exchange

    # Read twice, never held whole: validated (and checked against the store) before anything is
    # written, then written in batches as it is read again.
    imported = exchange.scan_file(args.file, each=context.store.already_saved)
    command = f"stratui import {args.file}"
    written = context.store.save_all_new(imported.discussions(), command=command, total=imported.count)
    unchanged = imported.count - written
    report = f"imported {written} discussions from {args.file}"
    if unchanged:
        report += f"; {unchanged} were already there unchanged"
    if imported.neutralised_fields:
        fields = "1 text field" if imported.neutralised_fields == 1 else f"{imported.neutralised_fields} text fields"
        # Counted, never quoted: quoting them is what must not happen.
        report += (
            f"; {fields} held control or bidirectional characters, each kept as a visible stand-in "
            "(\u241b for ESC, \u2039U+202E\u203a for a right-to-left override)"
        )
    _say(report)
    return 0


def _schema() -> int:
    import json

    from stratui.models import Discussion

    _write(json.dumps(Discussion.model_json_schema(), indent=2) + "\n", json_document=True)
    return 0


def _check(context: Context, args: argparse.Namespace) -> int:
    from stratui import integrity

    store = context.store
    if args.restore:
        return _restore(context, args.restore)
    if args.repair:
        # Looked at before the index is rebuilt from the files: the rebuild must not make a hand
        # edit look like a save. It stays a finding below until a person restores or keeps it.
        try:
            copied_back = integrity.record_copied_back(
                store.root, store.audit, user=store.os_user, name=store.user, access=store.access, at=store.clock()
            )
        except integrity.RestoreError as exc:
            raise CommandError(str(exc)) from None
        for found in copied_back:
            _say(
                f"recorded in the audit trail: discussion {found.discussion_id} was put back by hand to revision "
                f"{found.earlier.get('revision') if found.earlier else '?'}"
            )
        changed = integrity.check_records(store.root, store.audit).tampered
        count = store.rebuild_index()
        _say(f"rebuilt the index of {count} discussions")
        if changed:
            _say(
                f"not adopted: {len(changed)} discussion files changed outside stratui (listed below); "
                "the audit trail does not vouch for them, so a person must decide"
            )
    problems = store.check()
    report = integrity.check_records(store.root, store.audit)
    problems += report.lines(store.root)
    for note in report.notes():
        _say(note)
    if not problems:
        store.audit.witness(store.clock())
        _say(f"{store.root}: all {len(store)} discussions read cleanly and match their audit trail")
        return 0
    for problem in problems:
        _say(problem)
    return EXIT_ERROR


def _restore(context: Context, target: str) -> int:
    from stratui import integrity

    store = context.store
    logged = {t.discussion_id for t in integrity.check_records(store.root, store.audit).tampered}
    discussion_id = context.find_discussion_id(target, also=logged)
    try:
        base = integrity.restore(
            store.root,
            store.audit,
            discussion_id,
            user=store.os_user,
            name=store.user,
            access=store.access,
            at=store.clock(),
            versions_kept=store.versions_kept,
        )
    except integrity.RestoreError as exc:
        raise CommandError(str(exc)) from None
    store.rebuild_index()
    source = "the audit log" if base.name.endswith(".jsonl") else f"{base.name} and the audit log"
    _say(
        f"restored discussion {discussion_id} to its last audited version (rebuilt from {source}); the version "
        "found is kept as its newest .bak, and the audit trail records the restore"
    )
    return 0


def _audit(context: Context, args: argparse.Namespace) -> int:
    from stratui.audit import AuditError, history_text

    from stratui import integrity

    log = context.store.audit
    if args.target == "verify":
        problems = log.verify() + integrity.trail_problems(log, len(integrity.discussion_files(context.store.root)))
        if problems:
            _say(f"{log.path}: the chain is broken: {problems[0]}")
            for problem in problems[1:]:
                _say(problem)
            return EXIT_ERROR
        changed = integrity.check_records(context.store.root, log).tampered
        if changed:
            _say(
                f"the chain is intact, but {len(changed)} discussion files do not match their last audit entry "
                "(changed outside stratui): `stratui check` names them"
            )
            return EXIT_ERROR
        count = sum(1 for _ in log.entries())
        log.witness(context.store.clock())
        _say(f"{count} entries, chain intact")
        return 0
    try:
        entries = list(log.entries())
    except AuditError as exc:
        raise CommandError(f"{exc}: run `stratui audit verify`") from None
    logged = {e["discussion_id"] for e in entries if isinstance(e.get("discussion_id"), str)}
    discussion_id = context.find_discussion_id(args.target, also=logged)
    history = [e for e in entries if e.get("discussion_id") == discussion_id]
    _write(history_text(discussion_id, history, full=args.full))
    return 0


def _serve(context: Context, args: argparse.Namespace) -> int:
    from stratui.serve import ServeUnavailable, app_command, serve

    def announce(address: str) -> None:
        _say(f"stratui in a browser, on this machine only (ctrl+c stops it): {address}")
        _say(
            "Anyone who has that address (with its token) works as you; it changes at each start. "
            "See README, 'Browser access'."
        )

    command = app_command(context.store.root, context.config_path, getattr(args, "today", None))
    try:
        serve(command, port=args.port, announce=announce)
    except ServeUnavailable as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot serve on port {args.port}: {exc.strerror or exc}") from None
    return 0


def _locate(args: argparse.Namespace) -> int:
    from stratui import locations

    _say(f"database: {args.db or locations.default_database()}")
    _say(f"settings: {args.config or locations.default_config_file()}")
    _say(f"exports:  {locations.exports_dir()}")
    _say(f"crash reports: {locations.crash_reports_dir()}")
    return 0

