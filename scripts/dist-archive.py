#!/usr/bin/env python3
"""Makes a release archive from a built wheel, so both carry the very same binary.

    dist-archive.py WHEEL TARGET OUTDIR

Takes `fmx` (or `fmx.exe`) out of the wheel's `*.data/scripts/`, and writes
`OUTDIR/fmx-vVERSION-TARGET.tar.gz` (`.zip` for Windows targets) holding
`fmx-vVERSION-TARGET/fmx` beside the README and licences — the names
`[package.metadata.binstall]` in Cargo.toml expects — and `ARCHIVE.sha256` in
`sha256sum` format. Prints the archive's path. Uses only the standard library: it runs on
every release runner, Windows included.
"""

import hashlib
import io
import os
import sys
import tarfile
import time
import zipfile

DOCS = ("README.md", "LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md")


def binary_from_wheel(wheel):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            parts = name.split("/")
            if (
                len(parts) == 3
                and parts[0].endswith(".data")
                and parts[1] == "scripts"
                and parts[2] in ("fmx", "fmx.exe")
            ):
                version = parts[0][: -len(".data")].split("-")[1]
                return parts[2], z.read(name), version
    sys.exit(f"dist-archive: no fmx binary in {wheel}")


def write_tar(path, root, files, mtime):
    with tarfile.open(path, "w:gz") as tar:
        for name, data, mode in files:
            info = tarfile.TarInfo(f"{root}/{name}")
            info.size = len(data)
            info.mode = mode
            info.mtime = mtime
            tar.addfile(info, io.BytesIO(data))


def write_zip(path, root, files, mtime):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, mode in files:
            info = zipfile.ZipInfo(f"{root}/{name}", time.gmtime(mtime)[:6])
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    wheel, target, outdir = sys.argv[1:]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    exe, binary, version = binary_from_wheel(wheel)
    files = [(exe, binary, 0o755)]
    for doc in DOCS:
        with open(os.path.join(repo, doc), "rb") as f:
            files.append((doc, f.read(), 0o644))
    root = f"fmx-v{version}-{target}"
    os.makedirs(outdir, exist_ok=True)
    windows = "windows" in target
    archive = os.path.join(outdir, root + (".zip" if windows else ".tar.gz"))
    # The wheel's time, so that the same wheel always gives the same archive.
    mtime = int(os.path.getmtime(wheel))
    (write_zip if windows else write_tar)(archive, root, files, mtime)
    with open(archive, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(archive + ".sha256", "w", encoding="utf-8", newline="\n") as f:
        f.write(f"{digest}  {os.path.basename(archive)}\n")
    print(archive)


if __name__ == "__main__":
    main()
