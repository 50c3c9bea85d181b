"""Verification codes for completion records: how a code is made, and the ledger of issued ones.

The scheme (also in the README):

- The first `dmst records` run in a results folder makes a random 256-bit secret,
  `<results>/.records-key` (readable by its owner only). Whoever holds it can make codes:
  keep the results folder private, as you already do for the gradebook.
- A record's content (learner, name, course title and version, date of the law, date
  issued, pass mark, and each exercise with its points and maximum) is written as canonical
  JSON (sorted keys, no spaces) and signed with HMAC-SHA256 under the secret.
- The code is the first 50 bits of the signature in Crockford's base 32 (digits and capital
  letters without I, L, O, U), ten characters shown as two groups of five: `7KQ2M-XR4TD`.
  Reading it back forgives case, spaces, dashes and the look-alikes O/0 and I/L/1.
- Each issued record's content and code are appended to `<results>/records/issued.jsonl`.
  `dmst verify CODE` finds the code there, recomputes the signature over the stored content
  (so an edited ledger fails), and checks the stored scores against the current gradebook
  (so a record that the gradebook no longer supports fails).

A guessed code matches a given record with probability 2^-50; without the secret, a
forger cannot make a code for content of their choosing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

KEY_FILE = ".records-key"
LEDGER = Path("records") / "issued.jsonl"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   # Crockford's base 32
LENGTH = 10                                      # characters: 50 bits
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CodeError(ValueError):
    """A code or key problem, worded for the person at the command line."""


def load_key(results: Path, create: bool = False) -> bytes:
    path = Path(results) / KEY_FILE
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        except ValueError:
            key = b""
        if len(key) < 16:
            raise CodeError(f"{path} is not a records key (64 hexadecimal characters); it may have been edited")
        return key
    if not create:
        raise CodeError(f"{path} does not exist: no completion records were issued from {results}")
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def make_code(content: dict, key: bytes) -> str:
    digest = hmac.new(key, canonical(content), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big") >> (len(digest) * 8 - 5 * LENGTH)
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return f"{chars[:5]}-{chars[5:]}"


def normalise(code: str) -> str:
    """The code in its printed form, or CodeError saying what a code looks like."""
    chars = "".join(code.split()).replace("-", "").upper().translate(LOOK_ALIKES)
    if len(chars) != LENGTH or any(c not in ALPHABET for c in chars):
        raise CodeError(f"'{code}' is not a verification code: a code is {LENGTH} letters and digits, "
                        "printed as two groups of five (for example 7KQ2M-XR4TD)")
    return f"{chars[:5]}-{chars[5:]}"


def authentic(content: dict, code: str, key: bytes) -> bool:
    return hmac.compare_digest(make_code(content, key), code)


def issued(results: Path) -> list[dict]:
    """Every ledger entry ({"code", "record"}); lines that are not JSON are skipped (they cannot verify)."""
    path = Path(results) / LEDGER
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("record"), dict):
            entries.append(entry)
    return entries


def remember(results: Path, code: str, content: dict) -> None:
    """Add an issued record to the ledger (once: issuing the same record again adds nothing)."""
    if any(e.get("code") == code and e["record"] == content for e in issued(results)):
        return
    path = Path(results) / LEDGER
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"code": code, "record": content}, sort_keys=True, ensure_ascii=False) + "\n")
