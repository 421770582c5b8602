"""Keys in bursts, as a slow SSH link delivers them: rows typed without a pause land whole.

Pilot waits for the app after every key, so it cannot show this; a real terminal (tmux
send-keys, several keys in one write) can. Before the fix, "Team manager<Enter>DC Lee Grant"
sent at once added a participant with no role and ran the next name into the role box.
"""

from __future__ import annotations

from pathlib import Path

from stratui.store import Store


def test_participants_typed_in_one_burst_land_in_their_rows(tmp_path: Path, new_discussion_at_vt100) -> None:  # type: ignore[no-untyped-def]
    terminal = new_discussion_at_vt100
    # One write: text, Tab and Enter arrive together.
    terminal.keys(
        "CS-BURST", "Tab", "Amy Stone", "Enter", "Enter", "Jo Reid", "Tab", "Team manager", "Enter",
        "DC Lee Grant", "Tab", "Detective constable", "Enter", "Ann Hughes", "Tab", "Health visitor", "Enter",
    )  # fmt: skip
    terminal.wait_for("Attendance check (England): complete")
    terminal.keys("C-s")

    def participants() -> list[tuple[str, str, str]]:
        store = Store.open(tmp_path / "db")
        summaries = store.summaries()
        return [(p.name, p.role, p.agency) for p in store.get(summaries[0].id).participants] if summaries else []

    assert terminal.wait_until(lambda: len(participants()) == 4), participants()
    assert participants() == [
        ("Sam Patel", "Social worker", "Children's social care"),
        ("Jo Reid", "Team manager", "Children's social care"),
        ("DC Lee Grant", "Detective constable", "Police"),
        ("Ann Hughes", "Health visitor", "Health"),
    ]
