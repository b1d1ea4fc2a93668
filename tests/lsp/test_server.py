"""`fmx server` end to end, through pytest-lsp's client (pygls): what an editor sees."""

import asyncio
import pathlib

import pytest
from lsprotocol import types

from conftest import diagnostics_for, open_doc, session, workspace

CONFIG = """\
required = ["title", "date"]

[rules]
delimiter-whitespace = "warn"

[fields.section]
type = "string"
one-of = ["content", "news"]
"""

# One line with an emoji and CJK before the finding (a duplicate key at fmx column 19).
DUPLICATE = '{"title": "😀 日本", "title": "x", "date": 1602377984}\nbody\n'


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def offset(text: str, pos: types.Position, encoding: str) -> int:
    """The str index of an LSP position under `encoding`."""
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    count = 0
    for i, ch in enumerate(line):
        if count >= pos.character:
            return start + i
        count += units(ch, encoding)
    return start + len(line)


def apply(text: str, edits, encoding="utf-16") -> str:
    spans = sorted(
        ((offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action: types.CodeAction):
    (edits,) = action.edit.changes.values()
    return edits


@pytest.mark.parametrize(
    "offered, agreed, character",
    [
        (["utf-8"], "utf-8", 18 + 3 + 2 * 2),
        (["utf-16"], "utf-16", 18 + 1),
        (["utf-32"], "utf-32", 18),
        (None, "utf-16", 18 + 1),
        (["utf-7", "utf-32", "utf-8"], "utf-32", 18),
    ],
)
async def test_encodings_are_negotiated_and_columns_follow_them(tmp_path, offered, agreed, character):
    root = workspace(tmp_path)
    post = root / "dup.md"
    post.write_text(DUPLICATE, encoding="utf-8")
    async with session(root, offered) as (client, result):
        assert result.capabilities.position_encoding == agreed
        (d,) = await open_doc(client, post)
        assert d.code == "duplicate-key"
        assert d.severity == types.DiagnosticSeverity.Error
        assert d.range.start == types.Position(line=0, character=character)
        # The range covers `"title"`: 7 characters, one unit each in every encoding.
        assert d.range.end == types.Position(line=0, character=character + 7)
        assert d.message == "duplicate key `title` (first defined at line 1, column 2)"


@pytest.mark.parametrize(
    "name, text, line, character, message",
    [
        ("yaml.md", '---\ntitle: "😀 日本" x\ndate: 1\n---\n', 1, 15, "invalid YAML: invalid trailing content after double-quoted scalar"),
        ("toml.md", '+++\ntitle = "日本"\ndate = \n+++\n', 2, 7, "invalid TOML: string values must be quoted, expected literal string"),
        ("json.md", '{\n  "title": "x",\n  "date": 1,\n}\n', 2, 11, "invalid JSON: trailing comma"),
    ],
)
async def test_broken_yaml_toml_json_posts(tmp_path, name, text, line, character, message):
    root = workspace(tmp_path)
    post = root / name
    post.write_text(text, encoding="utf-8")
    async with session(root) as (client, _):
        (d,) = await open_doc(client, post)
        assert (d.code, d.range.start, d.message) == ("syntax-error", types.Position(line=line, character=character), message)
        assert d.source == "fmx"
        assert d.code_description is None


async def test_the_reference_post_under_a_config_and_its_quick_fix(tmp_path):
    root = workspace(tmp_path, CONFIG)
    post = root / "detained-canadians.md"
    text = post.read_text(encoding="utf-8")
    async with session(root) as (client, _):
        found = await open_doc(client, post)
        assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
            ("delimiter-whitespace", 0, 3),
            ("delimiter-whitespace", 9, 3),
        ]
        assert all(d.severity == types.DiagnosticSeverity.Warning for d in found)
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=post.as_uri()),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=4)),
                context=types.CodeActionContext(diagnostics=list(found), only=[types.CodeActionKind.QuickFix]),
            )
        )
        (fix,) = actions
        assert fix.kind == types.CodeActionKind.QuickFix
        assert fix.diagnostics[0].range.start.line == 0
        fixed = apply(text, edits_of(fix))
        assert fixed.split("\n")[0] == "---"
        assert fixed.split("\n")[9] == "--- ", "the quick fix fixes its own line only"
        # The buffer changed as the editor would change it: one warning left.
        client.diagnostics.pop(post.as_uri())
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=post.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
            )
        )
        left = await diagnostics_for(client, post.as_uri())
        assert [(d.code, d.range.start.line) for d in left] == [("delimiter-whitespace", 9)]
        assert post.read_text(encoding="utf-8") == text, "the server never writes the file"


async def test_fix_all_and_conversions(tmp_path):
    root = workspace(tmp_path, CONFIG)
    post = root / "detained-canadians.md"
    text = post.read_text(encoding="utf-8")
    dup = root / "dup.md"
    dup.write_text(DUPLICATE, encoding="utf-8")
    async with session(root) as (client, _):
        await open_doc(client, post)
        whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))

        async def actions(path, only):
            return await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                    range=whole,
                    context=types.CodeActionContext(diagnostics=[], only=only),
                )
            )

        (fix_all,) = await actions(post, ["source.fixAll.fmx"])
        fixed = apply(text, edits_of(fix_all))
        assert fixed.split("\n")[0] == "---" and fixed.split("\n")[9] == "---"
        assert fixed.split("\n", 10)[10] == text.split("\n", 10)[10], "the body is untouched"

        conversions = {a.title: a for a in await actions(post, [types.CodeActionKind.RefactorRewrite])}
        assert sorted(conversions) == ["Convert front matter to JSON", "Convert front matter to TOML"]
        toml = apply(text, edits_of(conversions["Convert front matter to TOML"]))
        assert toml.startswith('+++\nextends = "_layouts.post"\nsection = "content"\n')
        assert toml.split("+++\n", 2)[2] == text.split("--- \n", 2)[2], "the body is untouched"
        # The converted buffer checks clean of syntax problems, as fmx would read it.
        client.diagnostics.pop(post.as_uri())
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=post.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=toml)],
            )
        )
        assert list(await diagnostics_for(client, post.as_uri())) == []

        # A refused conversion changes nothing and says why.
        await open_doc(client, dup)
        refused = await actions(dup, [types.CodeActionKind.RefactorRewrite])
        assert len(refused) == 2
        for a in refused:
            assert a.edit is None
            assert "duplicate key `title`" in a.disabled.reason


async def test_hover_on_a_key_an_epoch_date_and_a_diagnostic(tmp_path):
    root = workspace(tmp_path, CONFIG + '\n[fields.date]\ntype = "epoch"\nearliest = "2000-01-01T00:00:00Z"\n')
    post = root / "detained-canadians.md"
    async with session(root) as (client, _):
        await open_doc(client, post)

        async def hover(line, character):
            h = await client.text_document_hover_async(
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=post.as_uri()),
                    position=types.Position(line=line, character=character),
                )
            )
            return h.contents.value if h else None

        date = await hover(8, 10)
        assert "`1602377984.4306138` is **2020-10-11T00:59:44.4306138Z**" in date
        assert "**date** (required)" in date and "type: `epoch`" in date
        assert "earliest: 2000-01-01T00:00:00Z (946684800)" in date
        section = await hover(2, 2)
        assert "**section** (optional)" in section and "one of: `\"content\"`, `\"news\"`" in section
        page = await hover(0, 1)
        assert "delimiter-whitespace (warning): trailing whitespace after the `---` delimiter" in page
        assert "## What it checks" in page
        assert await hover(12, 0) is None, "the body has nothing to say"


async def test_completion_of_field_names_and_one_of_values(tmp_path):
    root = workspace(tmp_path, CONFIG + '\n[fields.tags]\ntype = "array"\n')
    post = root / "p.md"
    text = "---\ntitle: x\n\nsection: \n---\nbody\n"
    post.write_text(text, encoding="utf-8")
    async with session(root) as (client, _):
        await open_doc(client, post)

        async def complete(line, character):
            r = await client.text_document_completion_async(
                types.CompletionParams(
                    text_document=types.TextDocumentIdentifier(uri=post.as_uri()),
                    position=types.Position(line=line, character=character),
                )
            )
            items = r.items if hasattr(r, "items") else r
            return {i.label: i for i in items}

        names = await complete(2, 0)
        assert {"section", "tags", "title", "date"} <= set(names)
        assert names["tags"].detail == "array"
        values = await complete(3, 9)
        assert sorted(values) == ["content", "news"]
        assert values["news"].insert_text == '"news"'
        assert await complete(5, 2) == {}, "no completion in the body"


async def test_a_config_change_re_checks_and_a_broken_config_is_one_diagnostic(tmp_path):
    root = workspace(tmp_path, CONFIG)
    post = root / "detained-canadians.md"
    config = root / "fmx.toml"
    async with session(root) as (client, _):
        assert len(await open_doc(client, post)) == 2

        async def changed():
            client.diagnostics.clear()
            client.workspace_did_change_watched_files(
                types.DidChangeWatchedFilesParams(
                    changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
                )
            )
            return await diagnostics_for(client, post.as_uri())

        config.write_text('required = ["title", "author"]\n', encoding="utf-8")
        (missing,) = await changed()
        assert missing.code == "missing-field" and "`author`" in missing.message

        config.write_text('required = ["title"\n', encoding="utf-8")
        assert list(await changed()) == [], "a broken config: the post is checked with the defaults"
        (broken,) = await diagnostics_for(client, config.as_uri())
        assert broken.range.start.line == 0 and broken.code == "config"

        config.write_text('required = ["title"]\n', encoding="utf-8")
        await changed()
        assert list(await diagnostics_for(client, config.as_uri())) == [], "fixed: its diagnostic is cleared"


async def test_unknown_methods_bad_params_and_no_front_matter_keep_the_server_alive(tmp_path):
    root = workspace(tmp_path)
    plain = root / "plain.md"
    plain.write_text("# just a heading\n", encoding="utf-8")
    async with session(root) as (client, _):
        with pytest.raises(Exception, match="fmx server does not handle"):
            await client.protocol.send_request_async("fmx/nothing", {})
        # A frame whose body is not JSON-RPC is skipped (and logged); the session goes on.
        client._server.stdin.write(b"Content-Length: 5\r\n\r\n{bad}")
        with pytest.raises(Exception, match="fmx server does not handle"):
            await client.protocol.send_request_async("fmx/still-there", {})
        assert any("skipped a malformed message" in m.message for m in client.log_messages)
        (d,) = await open_doc(client, plain)
        assert d.code == "no-front-matter"
        # A 20 MB buffer: the body is never parsed.
        huge = "---\ntitle: x\ndate: 1602377984\n---\n" + "a line of the body\n" * 1_000_000
        assert list(await open_doc(client, root / "big.md", huge)) == []
        # A block past the size limit is the CLI's one limit-exceeded finding.
        over = "---\ntitle: x\ndate: 1\nbig: " + "x" * 2_000_000 + "\n---\n"
        (d,) = await open_doc(client, root / "over.md", over)
        assert d.code == "limit-exceeded"
        # Still answering.
        assert list(await open_doc(client, root / "detained-canadians.md")) == []


async def test_did_change_configuration_and_saving_an_open_config_re_check(tmp_path):
    root = workspace(tmp_path, CONFIG)
    post = root / "detained-canadians.md"
    config = root / "fmx.toml"
    async with session(root) as (client, _):
        assert len(await open_doc(client, post)) == 2
        config.write_text('[rules]\ndelimiter-whitespace = "error"\n', encoding="utf-8")
        client.diagnostics.clear()
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        found = await diagnostics_for(client, post.as_uri())
        assert [d.severity for d in found] == [types.DiagnosticSeverity.Error] * 2

        # The config open in the editor and saved: the posts are checked again.
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=config.as_uri(), language_id="toml", version=1, text=config.read_text()
                )
            )
        )
        config.write_text("", encoding="utf-8")
        client.diagnostics.clear()
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config.as_uri()), text="")
        )
        assert list(await diagnostics_for(client, post.as_uri())) == []
        assert config.as_uri() not in client.diagnostics, "an fmx.toml is not checked as a post"
