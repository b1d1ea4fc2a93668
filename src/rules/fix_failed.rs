//! `fix-failed`: `--fix` verified its edits but could not write the file. Its page; the
//! diagnostic is made where the file is written (`commands/check.rs`), with the writer's
//! reason.

use super::{RuleDoc, Unit};

pub static UNIT: Unit = Unit::page_only(RuleDoc {
    what: r#"A post whose fixes `--fix` computed and verified, but could not write:
the file is read-only, has more than one hard link (a rewrite would part
this name from the others), is a symbolic link, changed on disk while it
was being fixed, or the folder refused the new file. The message gives
the writer's reason. The file is left exactly as it was, so what the
fixes would have repaired is reported too; every other file in the run is
still fixed.

This rule is fmx's own: it has no counterpart in the SPEC's table."#,
    why: r#"A fix that was not written must not look like a problem with the post's
content, nor like a file fmx could not read: the post is fine to read,
and it is the write that needs attention (a permission, a link)."#,
    example: r#"$ cat post.md
---
title: Hello
date: "1602377984"
---

$ chmod a-w post.md

$ fmx check --fix post.md
post.md:1:1: error[fix-failed] cannot write the fixes: is read-only (mode 0444); not written (`chmod u+w` it to allow the rewrite)
post.md:3:7: error[date-not-epoch] `date` must be Unix epoch seconds as a number, found string "1602377984"
  help: write it as `1602377984` (`fmx check --fix` does)"#,
    fix: r#"Do what the message says (make the file writable, or fix the file a
link points to), then run `--fix` again."#,
});
