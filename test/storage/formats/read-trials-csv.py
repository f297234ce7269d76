"""Reads hypertuner's CSV exports back with Python's csv module and with pandas.read_csv, and
checks every header and cell against what the test expects (a JSON file: argv[1]).

Each case: {"path", "columns", "kinds": {column: "datetime" | "duration" | "value"}, "rows"}.
Expected cells are JSON; {"$float": "inf"} stands for a float JSON cannot hold; datetimes and
durations are milliseconds (a datetime as local time, as Optuna keeps them).
Prints one line per case; exits 1 with the differences when any cell differs.
"""

import csv
import datetime
import json
import math
import sys

import pandas as pd


def expected_value(cell):
    if isinstance(cell, dict) and set(cell) == {"$float"}:
        return float(cell["$float"])
    return cell


def same_number(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))


def check_csv_module(case, problems):
    with open(case["path"], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if rows[0] != case["columns"]:
        problems.append(f"csv header {rows[0]!r} != {case['columns']!r}")
    if len(rows) - 1 != len(case["rows"]):
        problems.append(f"csv: {len(rows) - 1} rows, expected {len(case['rows'])}")
    for i, (got_row, want_row) in enumerate(zip(rows[1:], case["rows"])):
        for column, text in zip(case["columns"], got_row):
            want = expected_value(want_row[column])
            kind = case["kinds"].get(column, "value")
            where = f"csv row {i} column {column!r}: {text!r} vs {want!r}"
            if want is None:
                ok = text == ""
            elif kind == "datetime":
                parsed = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f")
                ok = round(parsed.timestamp() * 1000) == want
            elif kind == "duration":
                ok = round(pd.Timedelta(text).total_seconds() * 1000) == want
            elif isinstance(want, bool):
                ok = text == str(want)
            elif isinstance(want, (int, float)):
                ok = same_number(float(text), float(want))
            elif isinstance(want, str):
                ok = text == want
            else:
                ok = json.loads(text) == want
            if not ok:
                problems.append(where)


def check_pandas(case, problems):
    dates = [c for c, k in case["kinds"].items() if k == "datetime"]
    df = pd.read_csv(case["path"], parse_dates=dates, float_precision="round_trip")
    if list(df.columns) != case["columns"]:
        problems.append(f"pandas header {list(df.columns)!r} != {case['columns']!r}")
    for i, want_row in enumerate(case["rows"]):
        for column in case["columns"]:
            got = df[column].iloc[i]
            want = expected_value(want_row[column])
            kind = case["kinds"].get(column, "value")
            where = f"pandas row {i} column {column!r}: {got!r} vs {want!r}"
            if want is None:
                ok = pd.isna(got)
            elif kind == "datetime":
                ok = round(got.to_pydatetime().timestamp() * 1000) == want
            elif kind == "duration":
                ok = round(pd.Timedelta(got).total_seconds() * 1000) == want
            elif isinstance(want, bool):
                ok = bool(got) == want and str(got) in ("True", "False")
            elif isinstance(want, (int, float)):
                ok = same_number(float(got), float(want))
            elif isinstance(want, str):
                ok = got == want
            else:
                ok = json.loads(got) == want
            if not ok:
                problems.append(where)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    problems = []
    for case in cases:
        before = len(problems)
        check_csv_module(case, problems)
        check_pandas(case, problems)
        cells = len(case["rows"]) * len(case["columns"])
        print(f"{case['path']}: {cells} cells, {len(problems) - before} differ")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


main()
