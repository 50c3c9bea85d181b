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
- Each issued record's content and code are appended to `<results>/records/issued.jsonl`, one
  JSON line each, in ASCII (so a name's U+2028 or U+0085 never reads as a line break).
  `dmst verify CODE` finds the code there, recomputes the signature over the stored content
  (so an edited ledger fails), and checks the stored scores against the current gradebook
  (so a record that the gradebook no longer supports fails).

A guessed code matches a given record with probability 2^-50; without the secret, a
forger cannot make a code for content of their choosing.

Files are read and written through the results folder's own safe access (dmst.grading's
ResultsFolder): never through a link planted in the folder.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from ..grading.results_folder import ResultsFolder
from ..grading.text import printable

KEY_FILE = ".records-key"
LEDGER = "records/issued.jsonl"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   # Crockford's base 32
LENGTH = 10                                      # characters: 50 bits
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class CodeError(ValueError):
    """A code or key problem, worded for the person at the command line."""


def load_key(folder: ResultsFolder, create: bool = False) -> bytes:
    raw = folder.read(KEY_FILE, limit=4096)
    if raw is not None:
        try:
            key = bytes.fromhex(raw.decode("ascii").strip())
        except (ValueError, UnicodeDecodeError):
            key = b""
        if len(key) < 16:
            raise CodeError(f"{printable(folder.path(KEY_FILE))} is not a records key (64 hexadecimal characters); "
                            "it may have been edited")
        return key
    if not create:
        raise CodeError(f"{printable(folder.path(KEY_FILE))} does not exist: no completion records were issued from "
                        f"{printable(folder.path())}")
    key = secrets.token_bytes(32)
    folder.write(KEY_FILE, (key.hex() + "\n").encode("ascii"), private=True)
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
        shown = printable(repr(code if len(code) <= 40 else code[:40] + "…"))
        raise CodeError(f"CODE: {shown} is not a verification code: a code is {LENGTH} digits and letters (A to Z "
                        "but I, L, O and U), printed as two groups of five (for example 7KQ2M-XR4TD); case, spaces "
                        "and dashes do not matter")
    return f"{chars[:5]}-{chars[5:]}"


def authentic(content: dict, code: str, key: bytes) -> bool:
    return hmac.compare_digest(make_code(content, key), code)


def issued(folder: ResultsFolder) -> list[dict]:
    """Every ledger entry ({"code", "record"}); lines that are not JSON are skipped (they cannot verify).

    A line ends at a newline and nowhere else, as `remember` writes it: str.splitlines would also
    break a line at U+0085, U+2028, \x0b, \x1c and others, which a name may hold."""
    raw = folder.read(LEDGER)
    if raw is None:
        return []
    entries = []
    for line in raw.decode("utf-8", "replace").split("\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("record"), dict):
            entries.append(entry)
    return entries


def remember(folder: ResultsFolder, code: str, content: dict) -> None:
    """Add an issued record to the ledger (once: issuing the same record again adds nothing)."""
    if any(e.get("code") == code and e["record"] == content for e in issued(folder)):
        return
    # ASCII (\u escapes): no character of a name can look like a line break to any reader.
    folder.append(LEDGER, (json.dumps({"code": code, "record": content}, sort_keys=True) + "\n").encode("ascii"))
