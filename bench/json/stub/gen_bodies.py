#!/usr/bin/env python3
"""Writes the JSON answers of bench/json/stub/nginx.conf into OUTDIR (bench/run-json.sh passes
bench/results/json/stub/bodies): GetItem.json, PutItem.json, Query.json (about 1 MB: 1,000 items
with nested maps and lists of every kind the benchmark covers: M, L, S, N, B, BOOL, NULL) and
SendMessage.json (with the MD5 of the message body the program sends, read from
bench/json/src/main.rs).

    python3 bench/json/stub/gen_bodies.py OUTDIR
"""
import base64
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN_RS = os.path.join(HERE, "..", "src", "main.rs")
QUERY_ITEMS = 1000


def rust_const(src, name):
    m = re.search(r'const %s: &str = "([^"\\]*)";' % name, src)
    if not m:
        sys.exit(f"gen_bodies.py: no `const {name}: &str = \"...\";` in {MAIN_RS}")
    return m.group(1)


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


def B(raw):
    return {"B": base64.b64encode(raw).decode()}


def get_item():
    # The same shape as item() in main.rs: 10 attributes.
    return {
        "Item": {
            "pk": S("user#42"),
            "sk": S("profile"),
            "name": S("Sherlock Holmes"),
            "email": S("sherlock@example.com"),
            "age": N(60),
            "balance": N("1234.56"),
            "active": {"BOOL": True},
            "avatar": B(b"\x89PNG\r\n\x1a\n-not-really-an-image-"),
            "address": {"M": {"street": S("221B Baker Street"), "city": S("London"), "zip": S("NW1 6XE")}},
            "tags": {"L": [S("detective"), S("violin"), {"NULL": True}]},
        }
    }


def query_item(i):
    # About 1 KB of JSON each: nested M and L, with S, N, B, BOOL and NULL at every level.
    return {
        "pk": S("tenant#7"),
        "sk": S(f"order#{i:06d}"),
        "total": N(f"{i * 37 % 100000}.{i % 100:02d}"),
        "paid": {"BOOL": i % 3 != 0},
        "note": {"NULL": True},
        "digest": B(hashlib.sha256(b"order%d" % i).digest()),
        "profile": {
            "M": {
                "name": S(f"Customer number {i}"),
                "email": S(f"customer{i}@example.com"),
                "score": N(i * 7 % 1000),
                "vip": {"BOOL": i % 10 == 0},
                "tags": {"L": [S("retail"), S("eu-west"), S(f"cohort-{i % 12}")]},
                "avatar": B(bytes((i + k) % 256 for k in range(24))),
                "nickname": {"NULL": True},
            }
        },
        "lines": {
            "L": [
                {
                    "M": {
                        "sku": S(f"SKU-{(i * 13 + k) % 99999:05d}"),
                        "qty": N(k + 1),
                        "price": N(f"{(i + k) % 500}.99"),
                        "gift": {"BOOL": k == 1},
                        "options": {"L": [S("colour:blue"), N(k), {"NULL": True}]},
                    }
                }
                for k in range(3)
            ]
        },
        "history": {
            "L": [
                {"M": {"at": N(1700000000 + i * 60 + k), "event": S(["created", "shipped"][k]), "ok": {"BOOL": True}}}
                for k in range(2)
            ]
        },
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    src = open(MAIN_RS).read()
    body = rust_const(src, "MESSAGE_BODY")
    md5 = hashlib.md5(body.encode()).hexdigest()
    if md5 != rust_const(src, "MESSAGE_BODY_MD5"):
        sys.exit(f"gen_bodies.py: MESSAGE_BODY_MD5 in main.rs should be {md5}")
    items = [query_item(i) for i in range(QUERY_ITEMS)]
    bodies = {
        "GetItem.json": get_item(),
        "PutItem.json": {},
        "Query.json": {"Count": QUERY_ITEMS, "Items": items, "ScannedCount": QUERY_ITEMS},
        "SendMessage.json": {"MD5OfMessageBody": md5, "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274"},
    }
    for name, doc in bodies.items():
        with open(os.path.join(out, name), "w") as f:
            json.dump(doc, f, separators=(",", ":"))
    sizes = ", ".join(f"{n} {os.path.getsize(os.path.join(out, n))} B" for n in bodies)
    print(f"gen_bodies.py: {sizes}", file=sys.stderr)


if __name__ == "__main__":
    main()
