"""The Textual screens of stratui (installed as stratui.screens)."""
