//! Where reports go: stdout, buffered unless a person is watching, with styles written only
//! where they will be seen.

use std::io::{self, IsTerminal, Write};

use anstream::{AutoStream, ColorChoice};

/// Standard output for a report. Reports always write their styles; with colour off (a
/// pipe, a file, `NO_COLOR`, `--color never`) [`StripStyles`] drops them. Into a pipe or a
/// file, output is block-buffered: a dry run over 100k posts prints millions of lines,
/// and a system call per line cost more than the conversion.
pub fn stdout(choice: ColorChoice) -> Box<dyn Write> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let colour = AutoStream::new(io::stdout(), choice).current_choice() != ColorChoice::Never;
    match (colour, terminal) {
        (true, true) => Box::new(stdout.lock()),
        (true, false) => Box::new(io::BufWriter::with_capacity(1 << 16, stdout.lock())),
        (false, true) => Box::new(StripStyles::new(stdout.lock())),
        (false, false) => Box::new(StripStyles::new(io::BufWriter::with_capacity(
            1 << 16,
            stdout.lock(),
        ))),
    }
}

/// Drops the SGR escape sequences (`ESC [ … m`, what anstyle writes) from what passes
/// through, a run of plain bytes at a time. anstream's general stripper looks at every
/// byte, which made a tenth of a dry run's time.
pub struct StripStyles<W: Write> {
    inner: W,
    /// Inside a sequence that began in an earlier write.
    in_sequence: bool,
}

impl<W: Write> StripStyles<W> {
    pub fn new(inner: W) -> Self {
        StripStyles {
            inner,
            in_sequence: false,
        }
    }
}

impl<W: Write> Write for StripStyles<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            if self.in_sequence {
                // Parameters and intermediates until the final byte (0x40–0x7E).
                match buf
                    .iter()
                    .position(|b| (0x40..=0x7e).contains(b) && *b != b'[')
                {
                    Some(end) => {
                        self.in_sequence = false;
                        buf = &buf[end + 1..];
                    }
                    None => return Ok(()),
                }
                continue;
            }
            match memchr::memchr(0x1b, buf) {
                Some(start) => {
                    self.inner.write_all(&buf[..start])?;
                    self.in_sequence = true;
                    buf = &buf[start + 1..];
                }
                None => return self.inner.write_all(buf),
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anstyle::{AnsiColor, Style};

    #[test]
    fn styles_are_dropped_and_text_kept_even_when_split_across_writes() {
        let red = AnsiColor::Red.on_default().bold();
        let styled = format!(
            "{red}error{red:#}: a → b\n{}x{:#}",
            Style::new(),
            Style::new()
        );
        let mut whole = StripStyles::new(Vec::new());
        whole.write_all(styled.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(whole.inner).unwrap(), "error: a → b\nx");
        // Every split point, as `write!` may hand a sequence over in pieces.
        for at in 0..styled.len() {
            let mut split = StripStyles::new(Vec::new());
            split.write_all(&styled.as_bytes()[..at]).unwrap();
            split.write_all(&styled.as_bytes()[at..]).unwrap();
            assert_eq!(
                String::from_utf8(split.inner).unwrap(),
                "error: a → b\nx",
                "{at}"
            );
        }
        assert_eq!(
            anstream::adapter::strip_str(&styled).to_string(),
            "error: a → b\nx"
        );
    }
}
