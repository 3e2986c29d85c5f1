"""The recordlinkage (0.16) side of the duplicate-detection benchmark.

Reads the tab-separated records poolbook-bench wrote (file, given, surname,
number, address1, suburb, postcode, state, phone, email), indexes them with
recordlinkage's standard blocking (given name, surname, postcode; phone and
email when present), compares the same fields poolbook compares (Jaro-Winkler
>= 0.85 on names, street and suburb; exact on street number, postcode,
state, phone, email), classifies with the ECM classifier, and prints the
seconds taken and the number of candidate pairs, then one matched pair per
line as record indexes. Usage: linkage_rl.py INPUT.tsv dedupe|link
"""

import sys
import time

import pandas as pd
import recordlinkage


def main() -> None:
    path, mode = sys.argv[1], sys.argv[2]
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False).replace("", None)
    started = time.perf_counter()
    has_phone = frame["phone"].notna().any()
    has_email = frame["email"].notna().any()
    if has_phone:
        frame["phone"] = frame["phone"].str.replace(r"\D", "", regex=True).str[-10:]
    if has_email:
        frame["email"] = frame["email"].str.lower()
    indexer = recordlinkage.Index()
    if has_phone or has_email:
        # A book with phones and emails: block on them and on compound keys
        # (a single name or postcode there makes blocks of thousands).
        for columns in (["given", "surname"], ["surname", "postcode"], ["number", "postcode"], ["phone"], ["email"]):
            indexer.block(columns)
    else:
        for column in ("given", "surname", "postcode"):
            indexer.block(column)
    if mode == "link":
        left = frame[frame["file"] == "0"]
        right = frame[frame["file"] == "1"]
        pairs = indexer.index(left, right)
    else:
        left = right = frame
        pairs = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("given", "given", method="jarowinkler", threshold=0.85, label="given")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("number", "number", label="number")
    compare.string("address1", "address1", method="jarowinkler", threshold=0.85, label="address1")
    compare.string("suburb", "suburb", method="jarowinkler", threshold=0.85, label="suburb")
    compare.exact("postcode", "postcode", label="postcode")
    compare.exact("state", "state", label="state")
    if has_phone:
        compare.exact("phone", "phone", label="phone")
    if has_email:
        compare.exact("email", "email", label="email")
    features = compare.compute(pairs, left, right)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    seconds = time.perf_counter() - started
    out = [f"{seconds:.6f} {len(pairs)}"]
    out.extend(f"{a} {b}" for a, b in matches)
    print("\n".join(out))


if __name__ == "__main__":
    main()
