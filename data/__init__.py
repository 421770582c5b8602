"""Reference data, default settings and demo data (installed as stratui.data)."""
