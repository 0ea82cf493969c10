"""Reads the data files of Utilities/data: plain-text tables, one row a line, that the generators
turn into Swift.

A file holds sections. A section opens with its name in brackets, `[instructions]`; the next line
names its columns; every line after it is a row, its fields separated by spaces (aligned for
reading). The last column takes the rest of the line, spaces included (Swift code goes there).
`-` is an empty field, a line starting with `#` is a comment, and blank lines are ignored.
"""
import os

DATA_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def read_tables(filename):
    """The sections of Utilities/data/`filename`: {name: [row, ...]}, each row a dict from column
    name to field (a string; "" for `-`), in the order of the file."""
    sections = {}
    rows = columns = None
    with open(os.path.join(DATA_FOLDER, filename)) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                rows = sections[line.strip("[]")] = []
                columns = None
            elif columns is None:
                columns = line.split()
            else:
                fields = line.split(None, len(columns) - 1)
                if len(fields) != len(columns):
                    raise SystemExit(f"{filename}:{number}: {len(fields)} fields, {len(columns)} columns")
                rows.append({c: "" if v == "-" else v for c, v in zip(columns, fields)})
    return sections


def items(field):
    """The items of a comma-separated field: `i32,i32` → ["i32", "i32"]; "" → []."""
    return field.split(",") if field else []
