"""Password hashing with argon2id; bcrypt hashes from the original system are still accepted.

An account imported by `import-legacy` keeps its bcrypt hash until its owner's first
successful sign-in, which replaces it with an argon2id hash (`needs_rehash`).
"""

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")

# Verified against when the e-mail is unknown, so a wrong e-mail costs as much time as a
# wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password, only a timing stand-in")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def is_legacy_hash(password_hash: str) -> bool:
    return password_hash.startswith(_BCRYPT_PREFIXES)


def _verify_bcrypt(password_hash: str, password: str) -> bool:
    # bcrypt reads at most 72 bytes, as the original system's library did.
    try:
        return bcrypt.checkpw(password.encode()[:72], password_hash.encode())
    except ValueError:
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    if password_hash is not None and is_legacy_hash(password_hash):
        return _verify_bcrypt(password_hash, password)
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return is_legacy_hash(password_hash) or _hasher.check_needs_rehash(password_hash)
