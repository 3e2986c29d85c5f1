#!/usr/bin/env python3
"""Parity: every public operation of core (as scripts/core-operations prints
them) must have a counterpart in the generated Kotlin (poolbook.kt) and
Swift (Poolbook.swift) sources, under its camelCase name, or under the name
in RENAMES. Fails listing every operation that is missing.

usage: parity.py scripts/core-operations poolbook.kt Poolbook.swift
"""

import re
import subprocess
import sys

# Operations whose binding name is not the camelCase of core's name:
# operation -> (Kotlin name, Swift name).
RENAMES = {
    # Kotlin's close() is AutoCloseable's (releases the object); uniffi.toml
    # renames core's Book::close there.
    "Book.close": ("closeBook", "close"),
    "chemistry.saturation_index": ("saturationIndex", "saturationIndex"),
    "chemistry.flag_readings": ("flagReadings", "flagReadings"),
    "chemistry.best_profile": ("bestProfile", "bestProfile"),
    "demo.populate_demo": ("populateDemo", "populateDemo"),
    "schedule.plan_due_on": ("planDueOn", "planDueOn"),
    "journey.default_stage_map": ("defaultStageMap", "defaultStageMap"),
    "phone.normalize_phone": ("normalizePhone", "normalizePhone"),
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def main() -> int:
    operations_script, kotlin_path, swift_path = sys.argv[1:4]
    operations = subprocess.run(
        [operations_script], check=True, capture_output=True, text=True
    ).stdout.split()
    if len(operations) < 50:
        print(f"parity: only {len(operations)} operations listed; is core-operations broken?")
        return 1
    kotlin = open(kotlin_path, encoding="utf-8").read()
    swift = open(swift_path, encoding="utf-8").read()
    kotlin_funs = set(re.findall(r"\bfun `?(\w+)`?\(", kotlin))
    swift_funs = set(re.findall(r"\bfunc `?(\w+)`?\(", swift))

    missing = []
    for op in operations:
        owner, _, name = op.partition(".")
        if op in RENAMES:
            kotlin_name, swift_name = RENAMES[op]
        elif owner == "Book":
            kotlin_name = swift_name = camel(name)
        else:
            missing.append(f"{op}: a free function with no entry in RENAMES")
            continue
        if kotlin_name not in kotlin_funs:
            missing.append(f"{op}: no Kotlin fun {kotlin_name}(")
        if swift_name not in swift_funs:
            missing.append(f"{op}: no Swift func {swift_name}(")
    if missing:
        print("parity: core operations without a Kotlin/Swift counterpart:")
        for line in missing:
            print("  " + line)
        return 1
    print(f"parity: all {len(operations)} core operations have Kotlin and Swift counterparts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
