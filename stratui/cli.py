# PYTHON_ARGCOMPLETE_OK  (argcomplete, if installed, looks for this line: shell tab completion)
"""The `stratui` command: the TUI by default, and the same core from the shell.

Each command takes those of --db, --config and --today it uses; errors print one line and exit non-zero.
Everything it prints goes through `_write`, so record text can never command the terminal.
Over 500 lines on purpose: it is the command table (each command's parser and help, read
together against the README's table) and each command's few lines over the core, which does
the work.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# Only what every command needs: `--version`, `--help`, `locate` and `schema` must start at
# once, so the store, pydantic's models, the bank holidays and Textual load where they are used.
from stratui import __version__
from stratui.text import escape, escape_json, escape_json_utf8, one_line

TYPE_CHECKING = False  # as typing.TYPE_CHECKING (type checkers read it as True) without importing typing
if TYPE_CHECKING:
    from datetime import date

    from stratui.context import Context
    from stratui.files import Access

EXIT_ERROR = 1

# How a command names one discussion (stratui.refer reads it): as people know it, since the app
# never shows ids.
DISCUSSION_HELP = (
    "which discussion: its case reference, a child's full name or at least 4 characters of its id; "
    "add @YYYY-MM-DD or @latest when there are several"
)
DISCUSSION_SYNTAX = """\
DISCUSSION is what people know it by:
  CS-2026-08014              its case reference
  "Leah Morgan"              a child's full name (any case; quote the spaces)
  CS-2026-08014@2026-11-25   the one held that day, when the case or child has several
  CS-2026-08014@latest       the one held last
  1f3a9c                     at least 4 characters of its id
Several that match are listed (exit code 1) and nothing is done."""


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


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written (their line breaks kept); an option's default shown
    after its help whenever it has one the help does not already name."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if not action.option_strings or action.default in (None, False, argparse.SUPPRESS) or "default" in text:
            return text
        return text + " (default: %(default)s)"


# Which of --db, --config and --today each command uses: only those are offered on it.
_ALL = ("db", "config", "today")
_STORED = ("db", "config")


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: Sequence[str],
    uses: Sequence[str] = _ALL,
) -> argparse.ArgumentParser:
    """A subcommand with its one-line summary (in `stratui --help`), a description and examples."""
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples)
    command = commands.add_parser(
        name, help=summary, description=description, epilog=epilog, formatter_class=_HelpFormatter
    )
    # SUPPRESS keeps a value given before the command from being reset to None by its own parser.
    _context_options(command, uses, default=argparse.SUPPRESS)
    return command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stratui",
        description=(
            "Record child-protection strategy discussions and track their actions and deadlines.\n"
            "With no command, opens the terminal app (as `stratui tui`)."
        ),
        epilog=(
            "examples:\n  stratui\n  stratui demo --count 20\n  stratui export CS-2026-08014 -o minutes.md\n"
            "  stratui COMMAND --help"
        ),
        formatter_class=_HelpFormatter,
    )
    # Before a command too (`stratui --db X export ...`), and for the app when no command is given.
    _context_options(parser, _ALL, default=None)
    parser.add_argument("--version", action="version", version=f"stratui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _command(
        commands,
        "tui",
        "open the terminal app (the default)",
        "Open the terminal app: the dashboard of deadlines, and every discussion to record or read.",
        ["stratui tui", "stratui tui --db /srv/team/stratui --today 2026-11-25"],
    )

    demo = _command(
        commands,
        "demo",
        "write realistic demo data into the database",
        "Write realistic, made-up discussions into the database, to try stratui or train with it.\n"
        "Discussions already there are left as they are.",
        ["stratui demo --count 20", "stratui demo --db /tmp/practice --nation wales --seed 7"],
    )
    demo.add_argument("--count", type=_positive_int, default=60, metavar="N", help="how many discussions")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="random seed: the same seed gives the same data")
    demo.add_argument(
        "--yes", action="store_true", help="write it even into a database that holds real (not demo) discussions"
    )
    demo.add_argument(
        "--nation",
        choices=("england", "wales", "scotland", "northern-ireland"),
        help="whose words, agencies and calendar the demo uses (default: the settings' nation)",
    )

    dashboard = _command(
        commands,
        "dashboard",
        "print what the dashboard shows",
        "Print the deadlines the dashboard shows: overdue, due today and due soon, one a line.",
        ["stratui dashboard", "stratui dashboard --all --json -o deadlines.json"],
    )
    dashboard.add_argument("--json", action="store_true", help="as JSON")
    dashboard.add_argument("--all", action="store_true", help="every open deadline, not only the warning window")
    _output_option(dashboard)

    handover = _command(
        commands,
        "handover",
        "print the duty handover: overdue, due today, due next working day",
        "Print the duty handover for the next worker: what is overdue, due today and due on the next\n"
        "working day, with the team's protective marking.",
        ["stratui handover", "stratui handover --md -o handover.md"],
    )
    handover.add_argument("--md", action="store_true", help="as Markdown (to print or send)")
    _output_option(handover)

    report = _command(
        commands,
        "report",
        "team timeliness: discussions and conferences within their timescales, late actions by agency and owner",
        "The team's timeliness, per month and for the period: discussions held within their timescale,\n"
        "conferences held within theirs of the decision, actions completed late by agency and owner.",
        ["stratui report", "stratui report --from 2026-04-01 --to 2027-03-31 --csv -o year.csv"],
    )
    report.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help="first day (default: the 1st of the month 11 months ago: twelve months to today)",
    )
    report.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (default: today)")
    report_format = report.add_mutually_exclusive_group()
    report_format.add_argument("--md", dest="report_format", action="store_const", const="md", help="as Markdown (the default)")
    report_format.add_argument("--csv", dest="report_format", action="store_const", const="csv", help="as CSV, for a spreadsheet")
    report_format.add_argument("--json", dest="report_format", action="store_const", const="json", help="as JSON")
    _output_option(report)

    export = _command(
        commands,
        "export",
        "export one discussion's minutes or record, or all as a backup",
        "Export one discussion: its minutes as Markdown or HTML (to print), or its record as JSON;\n"
        "or every discussion as a JSON backup that `stratui import` reads.\n\n" + DISCUSSION_SYNTAX,
        [
            "stratui export CS-2026-08014 -o minutes.md",
            "stratui export CS-2026-08014@latest --format html -o minutes.html",
            "stratui export \"Leah Morgan\"",
            "stratui export --all --format json -o backup.json",
        ],
        uses=_STORED,
    )
    export.add_argument("id", nargs="?", metavar="DISCUSSION", help=DISCUSSION_HELP)
    export.add_argument("--all", action="store_true", help="every discussion (JSON only): a full backup")
    export.add_argument(
        "--format",
        choices=("md", "html", "json"),
        default="md",
        help="md: minutes as Markdown; html: minutes to print from a browser; json: the record, for import",
    )
    _output_option(export)
    export.add_argument(
        "--share-with-team", action="store_true", help="with -o: let the team group read and change the file (0660)"
    )

    import_ = _command(
        commands,
        "import",
        "load discussions written by export --format json",
        "Load the discussions in a file written by `stratui export --format json` (one or --all).\n"
        "A discussion already there unchanged is skipped; one that differs from the saved one with its id\n"
        "is refused, and then nothing is written.",
        ["stratui import backup.json", "stratui import backup.json --db /srv/team/stratui"],
        uses=_STORED,
    )
    import_.add_argument("file", type=Path, help="the JSON file to load")

    schema = _command(
        commands,
        "schema",
        "print the JSON Schema of a discussion",
        "Print the JSON Schema of a discussion record, as `export --format json` writes it.",
        ["stratui schema -o discussion.schema.json"],
        uses=(),
    )
    _output_option(schema)

    check = _command(
        commands,
        "check",
        "read every file and report damage",
        "Read every discussion file and the audit trail, and report damage or records changed\n"
        "outside stratui. Exit code 1 when anything is wrong.\n\n" + DISCUSSION_SYNTAX,
        ["stratui check", "stratui check --repair", "stratui check --restore CS-2026-08014@2026-11-25"],
        uses=_STORED,
    )
    check.add_argument("--repair", action="store_true", help="rebuild the index from the discussion files")
    check.add_argument(
        "--restore",
        metavar="DISCUSSION",
        help="write back the last audited version of a discussion changed outside stratui (with an audit entry)",
    )

    audit = _command(
        commands,
        "audit",
        "the audit trail: `audit verify` checks it, `audit DISCUSSION` shows a record's history",
        "The audit trail: `audit verify` checks that its chain is intact and matches the records;\n"
        "`audit DISCUSSION` shows who changed what in one discussion, and when.\n\n" + DISCUSSION_SYNTAX,
        ["stratui audit verify", "stratui audit \"Leah Morgan\"", "stratui audit CS-2026-08014@latest --full -o history.txt"],
        uses=_STORED,
    )
    audit.add_argument("target", metavar="verify|DISCUSSION", help="'verify', or which discussion (see above)")
    audit.add_argument("--full", action="store_true", help="show long values in full, and every field of a new record")
    _output_option(audit)

    _command(
        commands,
        "locate",
        "print the paths stratui uses",
        "Print the paths stratui uses: the database, the settings file, exports and crash reports\n"
        "(--db and --config show what those would be with them).",
        ["stratui locate"],
        uses=_STORED,
    )

    serve = _command(
        commands,
        "serve",
        "the app in a web browser, on this machine only (needs textual-serve)",
        "Run the app in a web browser, on 127.0.0.1 only, behind a token in the address.\n"
        "Needs textual-serve (pip install 'stratui[serve]'); see README, 'Browser access'.",
        ["stratui serve", "stratui serve --port 8080"],
    )
    serve.add_argument("--port", type=_positive_int, default=8000, metavar="N", help="port on 127.0.0.1")
    return parser


def _output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE (yours only: 0600) instead of standard output"
    )


def _context_options(parser: argparse.ArgumentParser, uses: Sequence[str], *, default: object) -> None:
    if "db" in uses:
        parser.add_argument("--db", type=Path, default=default, metavar="FOLDER", help="database folder (default: STRATUI_DB or your data folder)")
    if "config" in uses:
        parser.add_argument(
            "--config", type=Path, default=default, metavar="FILE", help="settings file (default: STRATUI_CONFIG or your config folder)"
        )
    if "today" in uses:
        parser.add_argument(
            "--today", default=default, metavar="YYYY-MM-DD", help="treat this date (YYYY-MM-DD) as today (default: STRATUI_TODAY or the clock)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    _escape_what_the_terminal_cannot_show()
    parser = build_parser()
    _offer_completion(parser)
    args = parser.parse_args(argv)
    command = args.command or "tui"
    # A read over in a second or two: its imports and its rows make a million objects and no
    # garbage worth collecting, and each collection would walk them all (some 10% of its time).
    # Enabled again on the way out, for a caller in the same process (the tests).
    paused = command == "dashboard" and gc.isenabled()
    if paused:
        gc.disable()
    try:
        if command == "schema":
            return _schema(args)
        if command == "locate":
            return _locate(args)
        from stratui.context import open_context

        context = open_context(db=args.db, config=args.config, today=args.today, read_only=_reads_only(command, args))
        for note in context.store.recovered:  # a bulk write killed part-way, settled at this open
            _say(f"stratui: {note}", error=True)
        handler = {
            "tui": _tui,
            "demo": _demo,
            "dashboard": _dashboard,
            "handover": _handover,
            "report": _report,
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
    except OSError as exc:
        # A folder or file the system refuses (not writable, not a real folder, unreadable):
        # which one, and what the system said.
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"stratui: {where}{exc.strerror or type(exc).__name__}; nothing more was written", error=True)
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
    finally:
        if paused:
            gc.enable()


def _offer_completion(parser: argparse.ArgumentParser) -> None:
    """Tab completion when the optional argcomplete is installed. Imported only when the shell
    asks for completions (argcomplete sets _ARGCOMPLETE), so an ordinary start never loads it."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    try:
        import argcomplete
    except ImportError:
        return
    argcomplete.autocomplete(parser)  # answers the shell and exits


def _escape_what_the_terminal_cannot_show() -> None:
    """A terminal or pipe that cannot take every character (PYTHONIOENCODING=ascii, a Latin-1
    locale) gets \\xe9 for an e-acute instead of the command failing part-way through a list."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _reads_only(command: str, args: argparse.Namespace) -> bool:
    """Commands that only look, and the app, open the database without repairing or settling
    anything: looking at a damaged database must never change it. (Each save settles the audit
    trail itself; a save killed part-way is read from its file until a command that writes
    settles it.)"""
    if command == "check":
        return not (args.repair or args.restore)
    return command in ("tui", "dashboard", "handover", "export", "audit")


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors that are the user's to fix, said in one line. Imported only once one has
    happened (an except clause is evaluated then), so a small command never loads the store."""
    from stratui.audit import AuditError
    from stratui.context import ContextError
    from stratui.exchange import ImportFileError
    from stratui.store import StoreError

    return (AuditError, CommandError, ContextError, ImportFileError, StoreError)


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
    from stratui.demo import is_demo_id, stream_demo_json
    from stratui.store.bulk_prepare import produced_elsewhere, workers_for

    real = sum(1 for s in context.store.summaries() if not is_demo_id(s.id))
    if real and not args.yes:
        # Fictional children among real ones, on the team's dashboard: only if someone says so.
        where = f"{context.store.root} holds {real} real (not demo) discussion{'s' if real != 1 else ''}"
        if not sys.stdin.isatty():
            raise CommandError(
                f"{where}: demo data would be mixed with them, so nothing was written. Give a new folder "
                "with --db, or add --yes if you mean it."
            )
        _write(f"{where}. Mix {args.count} fictional demo discussions in with them? Type yes to go on: ")
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise CommandError("nothing was written")
    nation = args.nation or context.settings.nation
    demo = (args.count, args.seed, context.today, nation)
    # A large demo is generated in a process of its own, beside the writer and the workers that
    # prepare its records: the same records, in the same order.
    discussions = (
        produced_elsewhere("stratui.demo", "stream_demo_json", *demo) if workers_for(args.count) else stream_demo_json(*demo)
    )
    command = f"stratui demo --count {args.count} --seed {args.seed} --nation {nation} --today {context.today}"
    written = context.store.save_all_new(discussions, command=command, total=args.count)
    skipped = args.count - written
    _say(
        f"wrote {written} demo discussions to {context.store.root}"
        + (f" ({skipped} were already there)" if skipped else "")
    )
    return 0


def _dashboard(context: Context, args: argparse.Namespace) -> int:
    from stratui.dashboard_read import dashboard_json_items, items_json_utf8

    if args.all:
        from stratui.deadlines import compute_deadlines

        items = [item.to_json() for item in compute_deadlines(context.store.summaries(), context.today, context.settings)]
    else:
        # The first screen's file when it is in step with the index: no summary read at all. A
        # read-only command never writes it (the app and `stratui check` do).
        items = dashboard_json_items(context)
    if args.json:
        _deliver_json_utf8(items_json_utf8(items), args.output)
        return _index_damage(context)
    lines = [] if items else ["Nothing overdue, due today or due soon."]
    for item in items:
        # One line per item: a line break in a title must not start what looks like another row.
        case_ref, owner, title = one_line(item["case_ref"]), one_line(item["owner"]), one_line(item["title"])
        lines.append(f"{item['due']}  {item['state']:<9}  {case_ref:<14}  {owner:<20}  {title}")
    _deliver("\n".join(lines), args.output)
    return _index_damage(context)


def _handover(context: Context, args: argparse.Namespace) -> int:
    from stratui.handover import build_handover, handover_markdown, handover_text

    handover = build_handover(context.store.summaries(), context.today, context.settings)
    _deliver(handover_markdown(handover) if args.md else handover_text(handover), args.output)
    return _index_damage(context)


def _index_damage(context: Context) -> int:
    """After a list read from the index: the shards that were not used, and which discussions
    that leaves out and why, one line each; exit non-zero so a script sees it."""
    damage = context.store.index_damage()
    for shard in damage:
        _say(f"stratui: {shard}", error=True)
    return EXIT_ERROR if damage else 0


def _report(context: Context, args: argparse.Namespace) -> int:
    from stratui import report

    start, end = report.default_period(context.today)
    start = _report_date(args.start, "--from") if args.start else start
    end = _report_date(args.end, "--to") if args.end else end
    if end < start:
        raise CommandError(f"--to ({end.isoformat()}) is before --from ({start.isoformat()})")
    records = report.records_of(context.store.discussions())
    figures = report.build_report(records, start, end, context.today, context.settings)
    render = {"csv": report.report_csv, "json": report.report_json}.get(args.report_format, report.report_markdown)
    _deliver(render(figures), args.output, json_document=args.report_format == "json")
    return 0


def _report_date(text: str, option: str) -> date:
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-01") from None


def _export(context: Context, args: argparse.Namespace) -> int:
    from stratui import exchange, minutes

    if args.share_with_team and not (args.output and context.settings.team_group):
        raise CommandError("--share-with-team needs -o FILE and a team_group in the settings")
    shared = context.access if args.share_with_team else None
    if args.all:
        if args.format != "json":
            raise CommandError("export --all writes a full backup as JSON: use --format json")
        # Written a discussion at a time as each file is read: never the whole backup in memory.
        _deliver_pieces(exchange.export_text(context.store.discussions()), args.output, json_document=True, shared=shared)
        return 0
    if not args.id:
        raise CommandError(
            "name a discussion to export (its case reference, a child's name or its id), or use --all --format json"
        )
    discussion = context.find_discussion(args.id)
    if args.format == "json":
        text = exchange.dump_one(discussion)
    else:
        render = minutes.render_html if args.format == "html" else minutes.render_markdown
        # The team's marking, council, nation and timescales; earlier discussions by name.
        text = render(discussion, context.settings, context.store.summaries())
    _deliver(text, args.output, json_document=args.format == "json", shared=shared)
    return 0


def _deliver(text: str, output: Path | None, *, json_document: bool = False, shared: Access | None = None) -> None:
    _deliver_pieces([text], output, json_document=json_document, shared=shared)


def _deliver_json_utf8(document: bytes, output: Path | None) -> None:
    """`_deliver` of a JSON document already in UTF-8 (18 MB for `dashboard --json` at 100,000
    discussions): escaped and written as bytes when standard output is UTF-8, as text otherwise
    (its encoding, and its stand-ins for what it cannot hold)."""
    stream = getattr(sys.stdout, "buffer", None)
    if output is not None or stream is None or codecs.lookup(sys.stdout.encoding or "ascii").name != "utf-8":
        _deliver(document.decode("utf-8", "surrogatepass"), output, json_document=True)
        return
    sys.stdout.flush()
    stream.write(escape_json_utf8(document) + (b"" if document.endswith(b"\n") else b"\n"))
    stream.flush()


def _deliver_pieces(
    pieces: Iterable[str], output: Path | None, *, json_document: bool = False, shared: Access | None = None
) -> None:
    """A document, given in pieces, to standard output, or with -o to a file written whole (never
    half: it replaces the file only once every piece is on disk) and the user's own (0600):
    minutes and lists about children stay private unless `shared` (the team's access) is asked for.
    A file is read in a terminal too (cat, less -r): it gets the same escaping, a piece at a time."""
    safe = escape_json if json_document else escape
    if output is None:
        last = ""
        for piece in pieces:
            if piece:
                _write(piece, json_document=json_document)
                last = piece
        if not last.endswith("\n"):
            _write("\n")
        return
    from stratui.files import PRIVATE, atomic_writer

    try:
        with atomic_writer(output, PRIVATE if shared is None else shared) as file:
            last = ""
            for piece in pieces:
                if piece:
                    file.write(safe(piece).encode("utf-8"))
                    last = piece
            if not last.endswith("\n"):
                file.write(b"\n")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
    _say(f"wrote {output}", error=True)


def _import(context: Context, args: argparse.Namespace) -> int:
    from stratui import exchange

    # Read twice, never held whole: validated (and checked against the store) before anything is
    # written, then written in batches as it is read again (validated once more, as written).
    imported = exchange.scan_file(args.file, each=context.store.already_saved)
    command = f"stratui import {args.file}"
    written = context.store.save_all_new(imported.documents(), command=command, total=imported.count)
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


def _schema(args: argparse.Namespace) -> int:
    import json

    from stratui.models import Discussion

    _deliver(json.dumps(Discussion.model_json_schema(), indent=2), args.output, json_document=True)
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
    # A save killed before its audit entry is not a change made outside stratui: the line above
    # about its marker says so, and the next writer records it.
    waiting = set(store.interrupted_saves())
    report.tampered = [t for t in report.tampered if t.discussion_id not in waiting]
    problems += report.lines(store.root)
    for note in report.notes():
        _say(note)
    if not problems:
        store.audit.witness(store.clock())
        # The files just read, counted: len(store) would parse every summary of the index.
        _say(f"{store.root}: all {report.files} discussions read cleanly and match their audit trail")
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
    from stratui.audit import AuditError
    from stratui.audit_history import history_text
    from stratui.invocation import shell_command

    from stratui import integrity

    log = context.store.audit
    if args.target == "verify" and args.output is not None:
        raise CommandError(f"-o writes one discussion's history to a file: `{shell_command('audit verify')}` only reports")
    if args.target == "verify":
        trail = integrity.trail_problems(log, len(integrity.discussion_files(context.store.root)))
        problems = log.verify() + trail
        if problems:
            _say(f"{log.path}: the chain is broken: {problems[0]}")
            for problem in problems[1:]:
                _say(problem)
            return EXIT_ERROR
        changed = integrity.check_records(context.store.root, log, trail=trail).tampered
        if changed:
            _say(
                f"the chain is intact, but {len(changed)} discussion files do not match their last audit entry "
                f"(changed outside stratui): `{shell_command('check')}` names them"
            )
            return EXIT_ERROR
        count = integrity.entries_in(log)
        if not context.store.journal.bulk_pending():
            # Not mid-import: an import is undone whole if killed, and a witness past it would then cry foul.
            log.witness(context.store.clock())
        _say(f"{count} entries, chain intact")
        return 0
    try:
        # Only the ids an id prefix could name, and only that record's entries, are read.
        logged = log.recorded_ids(args.target.split("@", 1)[0].strip())
        discussion_id = context.find_discussion_id(args.target, also=logged)
        history = log.history(discussion_id)
    except AuditError as exc:
        raise CommandError(f"{exc}: run `{shell_command('audit verify')}`") from None
    _deliver(history_text(discussion_id, history, full=args.full), args.output)
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

