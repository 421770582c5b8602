"""The team the tests' settings files name: Sam Patel at the keyboard, and Jo Reid, her manager."""

from __future__ import annotations


def team_settings(*, user: str | None = "Sam Patel", sam: str | None = "spatel", jo: str | None = "jreid") -> str:
    """A settings file (TOML) for England naming the team. `sam` and `jo` are their logins (None:
    none recorded); `user` is who is at the keyboard (None: found from the login)."""
    text = 'nation = "england"\n'
    if user:
        text += f'user = "{user}"\n'
    text += '\n[[team.members]]\nname = "Sam Patel"\n'
    if sam:
        text += f'username = "{sam}"\n'
    text += '\n[[team.members]]\nname = "Jo Reid"\n'
    if jo:
        text += f'username = "{jo}"\n'
    return text + "manager = true\n"
