"""Output folders that never destroy what outsim did not write.

The rules (README, "Safety"):

- A results folder (run, comparison, validation) is written into a hidden temporary sibling
  ``.NAME.tmp-PID-XXXX`` and swapped into place only when complete. Its ``manifest.json``
  lists every file outsim wrote into it.
- An existing target is replaced only when it is a folder outsim wrote: a valid outsim
  ``manifest.json`` and nothing in it that the manifest does not list (an empty folder is
  also accepted). Anything else — a file, a symbolic link, a folder with other content, the
  current folder — is refused with :class:`OutputError` before any work starts, and again
  just before the swap.
- The swap is crash-safe: the new folder is exchanged with the old one in one
  ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the name holds either the whole
  old or the whole new folder. Where the file system cannot exchange, two renames are used
  and the next run into the same place restores or removes what a crash left between them.
- The old folder is removed file by file from its manifest's list, never with a recursive
  delete; anything unexpected found in it is left where it is and reported.
- Hidden ``.NAME.tmp-*`` / ``.NAME.old-*`` leftovers of a killed run are cleaned (or
  restored) by the next run into the same place; leftovers of a run still going on, or
  that outsim cannot recognise as its own, are left alone and reported.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PARTIAL = ".outsim-partial"  # marks a temporary folder outsim is still writing
# Files outsim may add to a finished folder after its manifest was written.
LATER_FILES = ("report.html",)
# Results folders written before manifests listed their files (outsim 0.1 run folders).
LEGACY_RUN_FILES = (
    "timeseries.csv",
    "kpis.csv",
    "displacement.csv",
    "summary.json",
    "scorecard.json",
    "scenario.resolved.yaml",
    "manifest.json",
    "report.html",
    "error.log",
)
MAX_NAME_BYTES = 200  # leaves room for the hidden sibling's prefix and suffix (255 in all)
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-[A-Za-z0-9_]+$")


class OutputError(ValueError):
    """A target outsim must not write to. ``str()`` is the user-facing message."""


# -- what is outsim's -------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's outsim manifest, or None if it has none (or not a valid one)."""
    path = Path(folder) / MANIFEST
    try:
        if not stat.S_ISREG(path.lstat().st_mode) or path.lstat().st_size > 10_000_000:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("package") != "outsim":
        return None
    return data


def _entries(folder: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Every entry under ``folder`` (relative POSIX path, lstat), not following links."""
    stack = [Path(folder)]
    while stack:
        here = stack.pop()
        for entry in os.scandir(here):
            path = Path(entry.path)
            info = entry.stat(follow_symlinks=False)
            yield path.relative_to(folder).as_posix(), info
            if stat.S_ISDIR(info.st_mode):
                stack.append(path)


def owned_files(manifest: dict[str, Any]) -> set[str] | None:
    """The relative paths a manifest says outsim wrote (None for an old manifest)."""
    files = manifest.get("files")
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        return {*files, MANIFEST, *LATER_FILES}
    return None


def _is_owned(rel: str, owned: set[str] | None) -> bool:
    if owned is not None:
        return rel in owned
    return rel in LEGACY_RUN_FILES or (
        rel.startswith("plots/") and rel.count("/") == 1 and rel.endswith(".png")
    )


def foreign_entries(folder: Path) -> list[str]:
    """What in ``folder`` outsim did not write: every entry if it has no outsim manifest,
    else the files and links its manifest does not list (empty: the folder is outsim's)."""
    manifest = read_manifest(folder)
    entries = list(_entries(folder))
    if manifest is None:
        return sorted(rel for rel, _ in entries if "/" not in rel)
    owned = owned_files(manifest)
    foreign = []
    for rel, info in entries:
        if stat.S_ISDIR(info.st_mode):
            continue  # a folder is judged by what is in it
        if not stat.S_ISREG(info.st_mode) or not _is_owned(rel, owned):
            foreign.append(rel)
    return sorted(foreign)


def _describe(path: Path) -> str:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link"
    if stat.S_ISDIR(info.st_mode):
        return "a folder"
    if stat.S_ISREG(info.st_mode):
        return "a file"
    return "a special file"


def _listing(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# -- checking a target ------------------------------------------------------------------------
def check_target(target: str | os.PathLike[str], what: str = "results folder") -> Path:
    """Raise :class:`OutputError` unless ``target`` may be written as a whole folder:
    absent, an empty folder, or a folder outsim wrote. Returns the target as a Path."""
    target = Path(target)
    name = target.name
    if name in ("", ".", "..") or target.resolve() in (Path.cwd(), *Path.cwd().parents):
        raise OutputError(
            f"{target}: is the current folder or one of its parents; expected the name of a "
            f"new {what} (e.g. results/my_plan)"
        )
    if len(os.fsencode(name)) > MAX_NAME_BYTES:
        raise OutputError(
            f"{target}: the folder name is {len(os.fsencode(name))} bytes long; expected at "
            f"most {MAX_NAME_BYTES}"
        )
    if name.startswith("."):
        raise OutputError(
            f"{target}: names starting with '.' are hidden and reserved for outsim's "
            f"temporary folders; expected a visible name for the {what}"
        )
    _check_parent(target.parent, target)
    if not os.path.lexists(target):
        return target
    kind = _describe(target)
    if kind != "a folder":
        raise OutputError(
            f"{target}: there is {kind} of that name; outsim replaces only a folder it wrote "
            f"itself. Choose another --out, or move it away first"
        )
    foreign = foreign_entries(target)
    if not foreign:
        return target
    if read_manifest(target) is None:
        raise OutputError(
            f"{target}: is a folder outsim did not write (it holds {_listing(foreign)}); "
            f"outsim will not replace it. Choose another --out for the {what}, or empty or "
            "move that folder first"
        )
    raise OutputError(
        f"{target}: is an earlier outsim folder, but it also holds files outsim did not "
        f"write ({_listing(foreign)}); outsim will not delete them. Move them out, or choose "
        "another --out"
    )


def _check_parent(parent: Path, target: Path) -> None:
    for p in (parent, *parent.parents):
        if os.path.lexists(p):
            if not p.is_dir():
                raise OutputError(
                    f"{target}: {p} is {_describe(p)}, not a folder; expected a path whose "
                    "parents are folders"
                )
            if p == parent and not os.access(p, os.W_OK | os.X_OK):
                raise OutputError(f"{target}: cannot write in {p} (permission denied)")
            return


def check_store_folder(folder: str | os.PathLike[str], marker: str, what: str) -> Path:
    """A folder outsim writes into in place (a sweep's store): new, empty, or one that holds
    its ``marker`` file (an earlier run to resume). Anything else is refused."""
    folder = Path(folder)
    if folder.name in ("", ".", "..") and any(Path(folder).iterdir()):
        raise OutputError(
            f"{folder}: is the current folder and not a {what} folder; expected the name of a "
            f"new {what} folder (e.g. results/sweeps/my_sweep)"
        )
    _check_parent(folder.parent, folder)
    if not os.path.lexists(folder):
        return folder
    kind = _describe(folder)
    if kind != "a folder":
        raise OutputError(
            f"{folder}: there is {kind} of that name; expected a new or empty folder, or the "
            f"folder of an earlier {what} to resume"
        )
    names = sorted(p.name for p in folder.iterdir())
    if names and regular_file(folder, marker) is None:
        raise OutputError(
            f"{folder}: is not a {what} folder (it holds {_listing(names)} but no {marker}); "
            f"expected a new or empty folder, or the folder of an earlier {what} to resume"
        )
    return folder


def check_folder_input(folder: str | os.PathLike[str], what: str) -> Path:
    """An existing folder given as input: a real folder (not a link, not a file)."""
    folder = Path(folder)
    if not os.path.lexists(folder):
        raise OutputError(f"{folder}: not found; expected {what}")
    kind = _describe(folder)
    if kind != "a folder":
        raise OutputError(f"{folder}: is {kind}; expected {what}")
    return folder


def regular_file(folder: Path, rel: str) -> Path | None:
    """``folder/rel`` if it is a regular file inside ``folder`` (no link anywhere on the way),
    else None. Used to read only what a results folder itself holds."""
    path = Path(folder)
    for part in Path(rel).parts:
        path = path / part
        try:
            mode = path.lstat().st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    return path if stat.S_ISREG(path.lstat().st_mode) else None


def write_file(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` atomically (a new temporary file renamed over it). A link,
    folder or other non-regular entry of that name is refused, never written through."""
    path = Path(path)
    if os.path.lexists(path) and regular_file(path.parent, path.name) is None:
        raise OutputError(
            f"{path}: is {_describe(path)}, not a file outsim wrote; it will not be replaced"
        )
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return path


def subfolder(folder: Path, name: str) -> Path:
    """``folder/name`` as a real folder (created if missing; a link or file is refused)."""
    path = Path(folder) / name
    if os.path.lexists(path) and _describe(path) != "a folder":
        raise OutputError(f"{path}: is {_describe(path)}; expected a folder outsim writes")
    path.mkdir(exist_ok=True)
    return path


# -- leftovers --------------------------------------------------------------------------------
def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(target: Path) -> list[str]:
    """Tidy hidden siblings that a killed run into ``target`` left; returns notes for the
    user on what was restored, removed or left alone."""
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        return []
    notes = []
    for entry in sorted(parent.iterdir()):
        m = _LEFTOVER.match(entry.name)
        if not m or m["name"] != target.name or _alive(int(m["pid"])):
            continue
        if not entry.is_dir() or entry.is_symlink():
            notes.append(f"left alone {entry} (not a folder outsim wrote)")
        elif (entry / PARTIAL).is_file():
            shutil.rmtree(entry)  # marked as outsim's own unfinished output
            notes.append(f"removed {entry}, the unfinished output of an interrupted run")
        elif read_manifest(entry) is not None and not foreign_entries(entry):
            if not os.path.lexists(target):
                os.rename(entry, target)
                notes.append(f"restored {target} from {entry.name}, left by an interrupted run")
            else:
                notes.extend(remove_outsim_folder(entry))
        else:
            notes.append(f"left alone {entry} (it holds files outsim did not write)")
    return notes


# -- writing ----------------------------------------------------------------------------------
def remove_outsim_folder(folder: Path) -> list[str]:
    """Delete the files outsim wrote in ``folder`` (by its manifest), then the emptied
    folders. Never a recursive delete: whatever else is there stays, and is reported."""
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"left {folder} in place: it has no outsim manifest"]
    owned = owned_files(manifest)
    dirs = []
    for rel, info in list(_entries(folder)):
        if stat.S_ISDIR(info.st_mode):
            dirs.append(rel)
        elif stat.S_ISREG(info.st_mode) and _is_owned(rel, owned) and rel != MANIFEST:
            (folder / rel).unlink()
    for rel in sorted(dirs, key=lambda r: r.count("/"), reverse=True):
        with contextlib.suppress(OSError):
            (folder / rel).rmdir()
    (folder / MANIFEST).unlink()
    try:
        folder.rmdir()
    except OSError:
        return [f"left {folder} in place: it holds files outsim did not write"]
    return []


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _hidden_sibling(target: Path, kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{kind}-{os.getpid()}-", dir=target.parent))


def list_files(folder: Path) -> list[str]:
    """Relative paths of the regular files under ``folder``."""
    return sorted(rel for rel, info in _entries(folder) if stat.S_ISREG(info.st_mode))


@contextlib.contextmanager
def output_folder(
    target: str | os.PathLike[str],
    kind: str,
    manifest: dict[str, Any] | None = None,
    notes: list[str] | None = None,
) -> Iterator[Path]:
    """Give a temporary folder to write into; on success it becomes ``target``.

    ``kind`` (run, comparison, validation) and ``manifest`` go into ``manifest.json``, with
    the list of every file written. ``notes`` collects what was done with leftovers of
    earlier interrupted runs. On an error the temporary folder is removed and ``target`` is
    untouched."""
    target = check_target(target, f"{kind} folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    found = clean_leftovers(target)
    if notes is not None:
        notes.extend(found)
    tmp = _hidden_sibling(target, "tmp")
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; results are ordinary files
    (tmp / PARTIAL).write_text(json.dumps({"pid": os.getpid()}), encoding="utf-8")
    record = {"package": "outsim", "kind": kind, **(manifest or {})}
    try:
        _write_manifest(tmp, record)  # readable while the folder is written (the report)
        yield tmp
        (tmp / PARTIAL).unlink()
        record["files"] = [f for f in list_files(tmp) if f != MANIFEST]
        record["written"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        _write_manifest(tmp, record)
        check_target(target, f"{kind} folder")  # nothing of the user's arrived meanwhile
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # our own temporary folder
        raise
    _swap_in(tmp, target, notes)


def _write_manifest(folder: Path, record: dict[str, Any]) -> None:
    text = json.dumps(record, indent=2, allow_nan=False) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")


def _swap_in(tmp: Path, target: Path, notes: list[str] | None, exchange_first: bool = True) -> None:
    """Put the finished folder ``tmp`` under ``target``; remove the folder it replaces."""
    if not os.path.lexists(target):
        try:
            os.rename(tmp, target)
            return
        except OSError as exc:  # created meanwhile by someone else: judge it
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            check_target(target)
    if exchange_first and exchange(tmp, target):
        old = tmp  # the exchange left the previous folder under the temporary name
    else:  # two renames; a crash between them is repaired by the next run (clean_leftovers)
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
        os.rename(target, old)
        os.rename(tmp, target)
    if not read_manifest(old):  # an empty folder replaced
        with contextlib.suppress(OSError):
            old.rmdir()
        return
    left = remove_outsim_folder(old)
    if notes is not None:
        notes.extend(left)
