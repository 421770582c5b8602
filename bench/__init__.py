"""Speed at local-authority scale: `python -m bench` (README, "Performance").

Builds demo databases of 1,000, 5,000 and 20,000 discussions and prints the medians of the
operations a duty worker waits for, against the targets of issue 6. Kept free of imports so
that the bare-Textual floor measured in a child process pays for nothing of stratui's.
"""
