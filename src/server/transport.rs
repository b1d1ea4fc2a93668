//! Stdio framing, as `lsp_server::Connection::stdio` does it, except that a message whose
//! body is not JSON-RPC is skipped (and logged) instead of ending the session: the frame
//! was read whole, so the next one starts where it should.

use std::io::{self, BufReader, ErrorKind};
use std::thread;

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, Message, Notification};

pub struct IoThreads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<()>,
}

impl IoThreads {
    /// Waits for the writer to flush everything sent. The reader may be blocked on stdin;
    /// it is left to end with the process.
    pub fn join(self) {
        let _ = self.writer.join();
        drop(self.reader);
    }
}

pub fn stdio() -> (Connection, IoThreads) {
    let (to_writer, from_server) = unbounded::<Message>();
    let (to_server, from_reader) = unbounded::<Message>();
    let log = to_writer.clone();
    let writer = thread::spawn(move || write_all(from_server));
    let reader = thread::spawn(move || read_all(to_server, log));
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, IoThreads { reader, writer })
}

fn write_all(messages: Receiver<Message>) {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for msg in messages {
        if msg.write(&mut out).is_err() {
            return;
        }
    }
}

fn read_all(to_server: Sender<Message>, log: Sender<Message>) {
    let mut input = BufReader::new(io::stdin().lock());
    loop {
        match Message::read(&mut input) {
            Ok(Some(msg)) => {
                let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                if to_server.send(msg).is_err() || exit {
                    return;
                }
            }
            Ok(None) => return,
            // The frame was consumed; only its body was bad.
            Err(e)
                if e.kind() == ErrorKind::InvalidData
                    && e.to_string().starts_with("malformed LSP payload") =>
            {
                let params = lsp_types::LogMessageParams {
                    typ: lsp_types::MessageType::ERROR,
                    message: format!("fmx server: skipped a malformed message: {e}"),
                };
                let n = Notification::new("window/logMessage".into(), params);
                let _ = log.send(n.into());
            }
            // A broken header: the stream cannot be followed any more.
            Err(_) => return,
        }
    }
}
