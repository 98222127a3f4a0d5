"""Install the headless Chromium the browser tests run, at one exact version.

``python tools/browser.py [FOLDER]`` (what ``make browser`` runs) puts Chromium's
headless shell, version :data:`CHROMIUM`, into ``FOLDER/chromium-<package version>/``
(default ``.browser/``) and links ``FOLDER/chromium`` to it; it prints that path.

The build comes from the npm registry, inside the tarball of the package
:data:`PACKAGE` at :data:`VERSION` (a brotli-compressed headless shell for Linux
x86-64, built with the command-line ``--dump-dom``, ``--screenshot`` and
``--print-to-pdf`` the tests use; the package's later versions leave those out). The
tarball must match the sha512 the registry published for it (:data:`INTEGRITY`) and the
unpacked executable the sha256 recorded here (:data:`BINARY_SHA256`): a mismatch stops
with an error and installs nothing. A second run finds the folder and downloads
nothing. Debian's ``brotli`` unpacks it; it runs on the system's ``libnss3`` and fonts
(``make browser`` installs them with apt when run as root).

Only the standard library: this runs before any virtualenv exists.
"""

from __future__ import annotations

import base64
import hashlib
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PACKAGE = "@sparticuz/chromium"
VERSION = "110.0.1"
#: The browser inside it (its user agent: HeadlessChrome/110.0.5478.0).
CHROMIUM = "110.0.5478.0"
TARBALL = f"https://registry.npmjs.org/{PACKAGE}/-/chromium-{VERSION}.tgz"
#: The registry's ``dist.integrity`` of the tarball (``npm view PACKAGE@VERSION dist``).
INTEGRITY = (
    "sha512-LS7GKGoHSNUK2ugRp2k9/Rb+wSjsqPDTQTWd9nM2d2hCgm78WRLx2Vw+xwl3bst3M4+dqfawpx1U"
    "ObUmt5vVYQ=="
)
#: sha256 of the unpacked executable (``package/bin/chromium.br``, decompressed).
BINARY_SHA256 = "6ac3733f00ad8d2db43384d87a162a889634c37a37dc147f76aaba499bbf89a0"
#: SwiftShader (software GL), which the headless shell looks for beside itself.
SWIFTSHADER = "package/bin/swiftshader.tar.br"
BINARY = "package/bin/chromium.br"

_NOTE = "leadkpi: headless Chromium"


class InstallError(Exception):
    """The download or one of its checks failed."""


def _download(url: str, target: Path, *, tries: int = 4) -> None:
    """Fetch ``url`` into ``target``, trying again after a network hiccup."""
    for attempt in range(1, tries + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                with open(target, "wb") as out:
                    shutil.copyfileobj(response, out, 1 << 20)
            return
        except (urllib.error.URLError, OSError) as exc:
            if attempt == tries:
                raise InstallError(f"could not download {url}: {exc}") from None
            time.sleep(2 * attempt)


def _check_integrity(tarball: Path) -> None:
    digest = hashlib.sha512()
    with open(tarball, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    got = "sha512-" + base64.b64encode(digest.digest()).decode()
    if got != INTEGRITY:
        raise InstallError(
            f"{TARBALL} does not match its recorded integrity: expected {INTEGRITY}, "
            f"got {got}; nothing installed"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unbrotli(archive: tarfile.TarFile, member: str, target: Path) -> None:
    """Decompress the brotli file ``member`` of ``archive`` into ``target``."""
    source = archive.extractfile(member)
    if source is None:
        raise InstallError(f"{TARBALL} has no file {member}")
    with source, open(target, "wb") as out:
        process = subprocess.Popen(
            ["brotli", "--decompress", "--stdout"], stdin=subprocess.PIPE, stdout=out
        )
        assert process.stdin is not None
        try:
            shutil.copyfileobj(source, process.stdin, 1 << 20)
        except BrokenPipeError:
            pass  # brotli stopped early: its exit code says why
        finally:
            process.stdin.close()
        if process.wait() != 0:
            raise InstallError(
                f"brotli could not decompress {member} (exit {process.returncode})"
            )


def _unpack(tarball: Path, folder: Path) -> None:
    """Put the executable and SwiftShader's libraries from ``tarball`` in ``folder``."""
    with tarfile.open(tarball, "r:gz") as archive:
        binary = folder / "chromium"
        _unbrotli(archive, BINARY, binary)
        got = _sha256(binary)
        if got != BINARY_SHA256:
            raise InstallError(
                f"the unpacked Chromium does not match its recorded sha256: expected "
                f"{BINARY_SHA256}, got {got}; nothing installed"
            )
        binary.chmod(0o755)
        libraries = folder / "swiftshader.tar"
        _unbrotli(archive, SWIFTSHADER, libraries)
    with tarfile.open(libraries) as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            if member.isfile() and name and not name.startswith("."):
                with (
                    archive.extractfile(member) as source,
                    open(folder / name, "wb") as out,
                ):
                    shutil.copyfileobj(source, out)
                (folder / name).chmod(
                    0o755 if name.endswith((".so", ".so.1")) else 0o644
                )
    libraries.unlink()


def _missing_libraries(binary: Path) -> list[str]:
    """The shared libraries ``binary`` needs that the system lacks (by ``ldd``)."""
    if shutil.which("ldd") is None:
        return []
    done = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    return [line.split()[0] for line in done.stdout.splitlines() if "not found" in line]


def install(root: Path) -> Path:
    """Install the pinned Chromium under ``root`` (once); the path of the executable.

    Raises
    ------
    InstallError
        The download failed, or the tarball or the unpacked executable does not match
        its recorded checksum.
    """
    folder = root / f"chromium-{VERSION}"
    link = root / "chromium"
    if not (folder / "chromium").is_file():
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=".install-", dir=root) as scratch:
            work = Path(scratch)
            tarball = work / "package.tgz"
            _download(TARBALL, tarball)
            _check_integrity(tarball)
            unpacked = work / folder.name
            unpacked.mkdir()
            _unpack(tarball, unpacked)
            unpacked.rename(folder)  # whole, or not at all
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(
            f"{_NOTE} {CHROMIUM} ({PACKAGE} {VERSION}) installed in {folder} "
            f"({size:.0f} MiB, {time.perf_counter() - started:.1f} s)"
        )
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(folder.name + "/chromium")
    return link


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else ".browser")
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        print(
            f"{_NOTE}: the pinned build is for Linux x86-64 only; the browser tests "
            "use a Chromium on the PATH or $LEADKPI_CHROMIUM instead"
        )
        return 0
    if not (root / f"chromium-{VERSION}" / "chromium").is_file() and not shutil.which(
        "brotli"
    ):
        print(
            f"{_NOTE}: brotli not found, so {PACKAGE} {VERSION} cannot be unpacked: "
            "'sudo apt-get install brotli' (or 'sudo make browser') to run the browser "
            "tests"
        )
        return 0
    try:
        binary = install(root)
    except InstallError as exc:
        print(f"{_NOTE}: {exc}", file=sys.stderr)
        return 1
    missing = _missing_libraries(binary.resolve())
    if missing:
        print(
            f"{_NOTE}: {binary} needs {', '.join(missing)}: 'sudo apt-get install "
            "libnss3' (or 'sudo make browser')"
        )
    print(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
