"""Where article files come from: paths (files, folders, zip archives) and uploads, each
paired with the manifest entry that applies to it.

Only zip directories and manifests are read while collecting; a file's bytes are read when
the importer reaches it, and never more than the size limit allows.
"""

import contextlib
import re
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from articles.extract import ImportFailure
from factcheck.sanitize import is_http_url

MANIFEST_NAME = "manifest.toml"
MANIFEST_MAX_BYTES = 1024 * 1024
MANIFEST_FIELDS = {"outlet", "domain", "title", "published_on", "language", "url"}


# ---------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Manifest:
    """What the text of each file does not say, by file name (seeds/manifest.toml)."""

    files: Mapping[str, Mapping] = field(default_factory=dict)
    outlets: Mapping[str, str] = field(default_factory=dict)
    # A file whose entry (or whose outlet's entry) is invalid: the reason, by file name. Such a
    # file fails with it instead of being imported without the metadata it was meant to have.
    errors: Mapping[str, str] = field(default_factory=dict)
    # The manifest could not be read at all: every file beside it fails with this reason, so
    # nothing is stored without the metadata the newsroom wrote for it.
    broken: str = ""

    @classmethod
    def unreadable(cls, failure: ImportFailure) -> "Manifest":
        return cls(broken=f"not imported, the {MANIFEST_NAME} beside it is invalid: {failure}")

    def overrides_for(self, name: str) -> dict:
        entry = dict(self.files.get(name, {}))
        outlet = entry.get("outlet")
        if outlet and not entry.get("domain") and outlet in self.outlets:
            entry["domain"] = self.outlets[outlet]
        return entry

    def error_for(self, name: str) -> str:
        return self.broken or self.errors.get(name, "")


def _source(manifest: "Manifest | None", entry: str, **fields) -> "Source":
    """The Source of one file (``entry``: its name in the manifest): failed with the reason
    when its manifest, or its entry there, is invalid; else with its entry's metadata."""
    if manifest is None:
        return Source(**fields)
    if error := manifest.error_for(entry):
        return Source(name=fields["name"], filename=fields["filename"], error=error)
    return Source(**fields, overrides=manifest.overrides_for(entry))


def manifest_parse(data: bytes) -> Manifest:
    """The manifest in ``data``; ImportFailure with the reason when it cannot be read at all
    (not TOML, an unknown section). An invalid entry fails only its own file
    (``Manifest.errors``), with a reason that names the entry and the value."""
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportFailure(f"invalid manifest: {exc}") from None
    unknown = set(doc) - {"files", "outlets"}
    if unknown:
        raise ImportFailure(f"invalid manifest: unknown section {sorted(unknown)[0]!r}")
    outlets, bad_outlets = {}, {}
    for name, value in _table(doc, "outlets").items():
        domain = value.get("domain", "") if isinstance(value, dict) else value
        if isinstance(domain, str):
            outlets[name] = domain.strip().lower()
        else:
            bad_outlets[name] = f"outlet {name!r} needs a domain string"
    files, errors = {}, {}
    for name, entry in _table(doc, "files").items():
        try:
            files[name] = _manifest_entry(name, entry)
        except ImportFailure as exc:
            errors[name] = f"not imported, its manifest entry is invalid: {exc}"
            continue
        if files[name].get("outlet") in bad_outlets:
            reason = bad_outlets[files[name]["outlet"]]
            errors[name] = f"not imported, its manifest entry is invalid: {reason}"
    return Manifest(files=files, outlets=outlets, errors=errors)


def _table(doc: dict, section: str) -> dict:
    table = doc.get(section, {})
    if not isinstance(table, dict):
        raise ImportFailure(f"invalid manifest: [{section}] must be a table")
    return table


def _manifest_entry(name: str, entry) -> dict:
    if not isinstance(entry, dict):
        raise ImportFailure(f"[files.{name!r}] must be a table")
    unknown = set(entry) - MANIFEST_FIELDS
    if unknown:
        raise ImportFailure(f"unknown key {sorted(unknown)[0]!r}")
    clean = {}
    for key, value in entry.items():
        if key == "published_on":
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    raise ImportFailure(f"published_on {value!r} is not YYYY-MM-DD") from None
            if not isinstance(value, date):
                raise ImportFailure("published_on must be a date")
        elif not isinstance(value, str):
            raise ImportFailure(f"{key} must be a string")
        elif key == "url" and value and not is_http_url(value):
            raise ImportFailure(f"url {value!r} is not an http(s) address")
        clean[key] = value.strip() if isinstance(value, str) else value
    return clean


# ----------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """One file to import. ``load`` reads its bytes when its turn comes; ``error`` is set when
    it was refused before reading (a zip's entry with a bad path, an invalid manifest …)."""

    name: str  # as shown in the report
    filename: str  # as stored on the article
    load: Callable[[], bytes] | None = None
    size: int | None = None  # declared size, checked before anything is read
    error: str = ""
    overrides: Mapping = field(default_factory=dict)
    # An article read by other means than a file's bytes (a web page, webfetch): called when
    # its turn comes, it returns the importer's Decoded or raises ImportFailure.
    prepare: Callable[[], object] | None = None


def sources_from_paths(paths: Iterable[str | Path]) -> list[Source]:
    """Files, folders (recursively, in name order) and .zip archives given on a command line."""
    sources: list[Source] = []
    manifests: dict[Path, Manifest | None] = {}

    def manifest_of(folder: Path) -> Manifest | None:
        if folder not in manifests:
            manifests[folder] = None
            path = folder / MANIFEST_NAME
            if path.is_file():
                try:
                    manifests[folder] = manifest_parse(_read_capped(path, MANIFEST_MAX_BYTES))
                except ImportFailure as exc:
                    sources.append(Source(name=str(path), filename=MANIFEST_NAME, error=str(exc)))
                    manifests[folder] = Manifest.unreadable(exc)
        return manifests[folder]

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not _hidden(p.relative_to(path).as_posix())
            )
        elif path.is_file():
            files = [path]
        else:
            sources.append(
                Source(name=str(path), filename=path.name, error="no such file or folder")
            )
            continue
        for file in files:
            manifest = manifest_of(file.parent)
            if file.name == MANIFEST_NAME:
                continue
            if file.suffix.lower() == ".zip":
                sources.extend(_zip_sources(str(file), partial(open, file, "rb")))
            else:
                sources.append(
                    _source(
                        manifest,
                        file.name,
                        name=str(file),
                        filename=file.name,
                        load=partial(_read_capped, file, settings.ARTICLE_MAX_BYTES),
                        size=file.stat().st_size,
                    )
                )
    return sources


def sources_from_uploads(uploads: Iterable[tuple[str, IO[bytes]]]) -> list[Source]:
    """Uploaded files (name, file object): texts, zips and an optional manifest.toml that
    applies to the other files of the upload."""
    uploads = [(PurePosixPath(name.replace("\\", "/")).name, file) for name, file in uploads]
    sources: list[Source] = []
    manifest = None
    for name, file in uploads:
        if name == MANIFEST_NAME:
            try:
                manifest = manifest_parse(_read_stream(file, MANIFEST_MAX_BYTES))
            except ImportFailure as exc:
                sources.append(Source(name=name, filename=name, error=str(exc)))
                manifest = Manifest.unreadable(exc)
    for name, file in uploads:
        if name == MANIFEST_NAME:
            continue
        if name.lower().endswith(".zip"):
            sources.extend(_zip_sources(name, partial(contextlib.nullcontext, file), manifest))
            continue
        sources.append(
            _source(
                manifest,
                name,
                name=name,
                filename=name,
                load=partial(_read_stream, file, settings.ARTICLE_MAX_BYTES),
                size=_stream_size(file),
            )
        )
    return sources


def _zip_sources(name: str, opener, fallback: Manifest | None = None) -> list[Source]:
    """The entries of a zip archive, refused as a whole when its directory promises too much.

    Only the central directory is read here; limits are checked before any data is inflated.
    """
    try:
        with opener() as fh, zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            too_many = len(infos) > settings.ZIP_MAX_ENTRIES
            declared = sum(info.file_size for info in infos)
            if too_many:
                return [_refused(name, _too_many_entries(len(infos)))]
            if declared > settings.ZIP_MAX_UNCOMPRESSED_BYTES:
                return [_refused(name, _too_large_unpacked(declared))]
            manifests, sources = _zip_manifests(name, archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return [_refused(name, "not a readable zip archive (corrupt or truncated)")]
    for info in sorted(infos, key=lambda i: i.filename):
        entry = info.filename
        label = f"{name}:{entry}"
        if info.is_dir() or _hidden(entry):
            continue
        if _leaves_archive(entry):
            sources.append(
                _refused(label, "path leaves the archive (absolute or with '..'): refused")
            )
            continue
        folder, _, base = entry.replace("\\", "/").rpartition("/")
        if base == MANIFEST_NAME:
            continue
        if info.flag_bits & 0x1:
            sources.append(_refused(label, "encrypted zip entry: cannot be read"))
            continue
        if base.lower().endswith(".zip"):
            sources.append(_refused(label, "a zip inside a zip is not opened: unpack it first"))
            continue
        sources.append(
            _source(
                manifests.get(folder, fallback),
                base,
                name=label,
                filename=f"{PurePosixPath(name).name}:{entry}"[-255:],
                load=partial(_read_zip_entry, opener, entry),
                size=info.file_size,
            )
        )
    return sources


def _zip_manifests(name: str, archive: zipfile.ZipFile, infos) -> tuple[dict, list[Source]]:
    """The archive's manifests by folder, and a failure line for each unreadable one (whose
    folder's files then fail too)."""
    manifests: dict[str, Manifest] = {}
    failures: list[Source] = []
    for info in infos:
        folder, _, base = info.filename.replace("\\", "/").rpartition("/")
        if base != MANIFEST_NAME or _leaves_archive(info.filename) or _hidden(info.filename):
            continue
        try:
            if info.file_size > MANIFEST_MAX_BYTES:
                raise ImportFailure("invalid manifest: larger than 1 MB")
            with archive.open(info) as fh:
                manifests[folder] = manifest_parse(fh.read(MANIFEST_MAX_BYTES))
        except ImportFailure as exc:
            failures.append(_refused(f"{name}:{info.filename}", str(exc)))
            manifests[folder] = Manifest.unreadable(exc)
    return manifests, failures


def _read_zip_entry(opener, entry: str) -> bytes:
    limit = settings.ARTICLE_MAX_BYTES
    try:
        with opener() as fh, zipfile.ZipFile(fh) as archive, archive.open(entry) as member:
            # Read one byte past the limit: a header that understates the size is caught too.
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise ImportFailure(f"corrupt zip entry: {exc}") from None
    if len(data) > limit:
        raise ImportFailure(too_large(None))
    return data


def _read_capped(path: Path, limit: int) -> bytes:
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ImportFailure(too_large(path.stat().st_size))
    return data


def _read_stream(file: IO[bytes], limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ImportFailure(too_large(_stream_size(file)))
    return data


def _stream_size(file: IO[bytes]) -> int | None:
    size = getattr(file, "size", None)
    if size is None:
        with contextlib.suppress(OSError, AttributeError):
            size = file.seek(0, 2)
            file.seek(0)
    return size


def _hidden(relative: str) -> bool:
    """Dot-files and the resource forks macOS puts into zips are not articles."""
    parts = relative.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or any(p.startswith(".") and p not in {".", ".."} for p in parts)


def _leaves_archive(entry: str) -> bool:
    entry = entry.replace("\\", "/")
    if entry.startswith("/") or re.match(r"^[A-Za-z]:", entry):
        return True
    depth = 0
    for part in entry.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in {"", "."}:
            depth += 1
    return False


def _refused(name: str, reason: str) -> Source:
    return Source(name=name, filename=PurePosixPath(name).name[-255:], error=reason)


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def too_large(size: int | None) -> str:
    actual = f" ({_size(size)})" if size else ""
    return f"larger than the {_size(settings.ARTICLE_MAX_BYTES)} limit{actual}"


def _too_many_entries(count: int) -> str:
    return f"zip archive has {count:,} entries; the limit is {settings.ZIP_MAX_ENTRIES:,}"


def _too_large_unpacked(size: int) -> str:
    limit = _size(settings.ZIP_MAX_UNCOMPRESSED_BYTES)
    return f"zip archive would unpack to {_size(size)}; the limit is {limit}"
