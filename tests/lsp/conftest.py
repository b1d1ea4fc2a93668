"""Starts `fmx server` under pytest-lsp's client (pygls) in a temporary workspace."""

import os
import pathlib
import shutil
import sys
import asyncio
import contextlib

from lsprotocol import types
from pytest_lsp import ClientServerConfig, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
FMX = os.environ.get("FMX_BIN", str(REPO / "target" / "debug" / "fmx"))
REFERENCE = REPO / "fixtures" / "detained-canadians.md"


def capabilities(encodings):
    """Neovim 0.10's capabilities (as pytest-lsp records them), with the encodings given."""
    caps = client_capabilities("neovim")
    caps.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return caps


@contextlib.asynccontextmanager
async def session(root: pathlib.Path, encodings=None):
    """A client connected to a fresh `fmx server`, initialized on `root`; shut down after."""
    client = await ClientServerConfig(server_command=[FMX, "server"]).start()
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(encodings),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="w")],
        )
    )
    try:
        yield client, result
    finally:
        await client.shutdown_session()
        await client.stop()


async def open_doc(client, path: pathlib.Path, text=None, language="markdown"):
    """Opens `path` with its text (or `text`) and waits for its diagnostics."""
    text = path.read_text(encoding="utf-8") if text is None else text
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    return await diagnostics_for(client, uri)


async def diagnostics_for(client, uri, timeout=10.0):
    """Waits until diagnostics for `uri` arrive (publishDiagnostics notifications)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while uri not in client.diagnostics:
        remaining = deadline - loop.time()
        assert remaining > 0, f"no diagnostics for {uri}"
        await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), remaining)
    return client.diagnostics[uri]


def workspace(tmp_path: pathlib.Path, config: str | None = None) -> pathlib.Path:
    """A workspace folder with `.git` (so discovery stops there) and an fmx.toml."""
    (tmp_path / ".git").mkdir()
    if config is not None:
        (tmp_path / "fmx.toml").write_text(config, encoding="utf-8")
    shutil.copyfile(REFERENCE, tmp_path / "detained-canadians.md")
    return tmp_path
