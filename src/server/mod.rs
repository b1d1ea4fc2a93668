//! `fmx server`: a Language Server Protocol 3.17 server over stdio, on the CLI's engine.
//!
//! Synchronous (`lsp-server`, as rust-analyzer and ruff): one thread handles messages in
//! order. Before each message the queue is drained, so a request already cancelled is
//! answered as such and a buffer already changed again is not checked twice. Every
//! handler runs under `catch_unwind`: a panic becomes an error response, never an exit.

pub mod features;
pub mod position;
mod transport;
pub mod workspace;

use std::collections::{HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    Diagnostic as LspDiagnostic, DiagnosticSeverity, HoverProviderCapability, InitializeParams,
    Position, PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use position::Encoding;
use workspace::{Document, Workspace};

/// Why the server stopped other than by `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// How the session ended: whether `exit` came after `shutdown` (the spec's exit code 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    Clean,
    ExitWithoutShutdown,
}

/// Serves on stdin/stdout until `exit` (or the client goes away).
pub fn run_stdio() -> Result<Ended, ServerError> {
    let (connection, threads) = transport::stdio();
    let ended = serve(&connection)?;
    drop(connection);
    threads.join();
    Ok(ended)
}

/// Serves one client on `connection`: `initialize`, then messages until `exit`.
pub fn serve(connection: &Connection) -> Result<Ended, ServerError> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.as_str().to_string())
        .or_else(|| {
            #[allow(deprecated)]
            params.root_uri.as_ref().map(|u| u.as_str().to_string())
        })
        .and_then(|u| workspace::uri_to_path(&u));
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "fmx".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        connection,
        encoding,
        workspace: Workspace::new(root),
        watch_registration: watches_dynamically(&params),
        shut_down: false,
        published_configs: HashSet::new(),
        next_id: 0,
    };
    // `initialize_finish` consumed `initialized`: the session is up.
    server.register_watchers();
    server.main_loop()
}

fn watches_dynamically(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(features::FIX_ALL),
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), "=".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    workspace: Workspace,
    watch_registration: bool,
    shut_down: bool,
    /// Configuration files that have a diagnostic showing (to clear it once fixed).
    published_configs: HashSet<String>,
    next_id: i32,
}

/// A handler's failure, answered as an error response.
struct Failure(ErrorCode, String);

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure(ErrorCode::InvalidParams, e.to_string())
    }
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<Ended, ServerError> {
        let mut queue: VecDeque<Message> = VecDeque::new();
        let mut cancelled: HashSet<RequestId> = HashSet::new();
        loop {
            let msg = match queue.pop_front() {
                Some(m) => m,
                None => match self.connection.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(Ended::ExitWithoutShutdown),
                },
            };
            queue.extend(self.connection.receiver.try_iter());
            cancelled.extend(queue.iter().filter_map(cancel_id));
            match msg {
                Message::Request(r) if cancelled.remove(&r.id) => {
                    self.reply(Response::new_err(
                        r.id,
                        ErrorCode::RequestCanceled as i32,
                        "cancelled".into(),
                    ));
                }
                Message::Request(r) => self.request(r),
                Message::Notification(n) if n.method == notif::Exit::METHOD => {
                    return Ok(if self.shut_down {
                        Ended::Clean
                    } else {
                        Ended::ExitWithoutShutdown
                    });
                }
                Message::Notification(n) => {
                    if !superseded(&n, &queue) {
                        self.notification(n);
                    } else {
                        self.store_change(n);
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    fn reply(&self, response: Response) {
        // The client is gone when this fails; the loop ends on the next receive.
        let _ = self.connection.sender.send(response.into());
    }

    fn notify<N: notif::Notification>(&self, params: N::Params) {
        let n = Notification::new(N::METHOD.to_string(), params);
        let _ = self.connection.sender.send(n.into());
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        if r.method == req::Shutdown::METHOD {
            self.shut_down = true;
            return self.reply(Response::new_ok(id, ()));
        }
        if self.shut_down {
            return self.reply(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
        }
        let result = catch_unwind(AssertUnwindSafe(|| self.answer(&r)));
        let response = match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(Failure(code, message))) => Response::new_err(id, code as i32, message),
            Err(panic) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("fmx server: the handler panicked: {}", panic_text(&panic)),
            ),
        };
        self.reply(response);
    }

    fn answer(&mut self, r: &Request) -> Result<Value, Failure> {
        let encoding = self.encoding;
        match r.method.as_str() {
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = serde_json::from_value(r.params.clone())?;
                let (text, applied) = self.buffer(&p.text_document.uri)?;
                let ask = features::ActionRequest {
                    uri: &p.text_document.uri,
                    text: &text,
                    range: p.range,
                    only: p.context.only.as_deref(),
                    encoding,
                };
                Ok(serde_json::to_value(features::code_actions(
                    &ask, &applied,
                ))?)
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = serde_json::from_value(r.params.clone())?;
                let at = p.text_document_position_params;
                let (text, applied) = self.buffer(&at.text_document.uri)?;
                let hover = features::hover(&text, at.position, &applied, encoding);
                Ok(serde_json::to_value(hover)?)
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = serde_json::from_value(r.params.clone())?;
                let at = p.text_document_position;
                let (text, applied) = self.buffer(&at.text_document.uri)?;
                let items = features::completion(&text, at.position, &applied, encoding);
                Ok(serde_json::to_value(items)?)
            }
            #[cfg(test)]
            "fmx/test-panic" => panic!("a handler panicked on purpose"),
            method => Err(Failure(
                ErrorCode::MethodNotFound,
                format!("fmx server does not handle `{method}`"),
            )),
        }
    }

    /// An open document's text and configuration.
    fn buffer(&mut self, uri: &Uri) -> Result<(String, workspace::Applied), Failure> {
        let key = uri.as_str();
        let Some(doc) = self.workspace.documents.get(key) else {
            return Err(Failure(
                ErrorCode::InvalidParams,
                format!("{key} is not open"),
            ));
        };
        let text = doc.text.clone();
        Ok((text, self.workspace.applied(key)))
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.handle(n)));
        let problem = match result {
            Ok(Ok(())) => return,
            Ok(Err(Failure(_, message))) => message,
            Err(panic) => format!("the handler panicked: {}", panic_text(&panic)),
        };
        self.notify::<notif::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: format!("fmx server: {method}: {problem}"),
        });
    }

    fn handle(&mut self, n: Notification) -> Result<(), Failure> {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                let doc = p.text_document;
                let key = doc.uri.as_str().to_string();
                self.workspace.documents.insert(
                    key.clone(),
                    Document {
                        path: workspace::uri_to_path(&key),
                        text: doc.text,
                        version: doc.version,
                        language: doc.language_id,
                    },
                );
                self.publish(&key);
            }
            notif::DidChangeTextDocument::METHOD => {
                let key = self.store_change(n).ok_or_else(|| {
                    Failure(
                        ErrorCode::InvalidParams,
                        "didChange for a document not open".into(),
                    )
                })?;
                self.publish(&key);
            }
            notif::DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                let key = p.text_document.uri.as_str().to_string();
                if workspace::uri_to_path(&key).is_some_and(|p| workspace::is_config_file(&p)) {
                    self.config_changed();
                    return Ok(());
                }
                if let (Some(text), Some(doc)) = (p.text, self.workspace.documents.get_mut(&key)) {
                    doc.text = text;
                }
                self.publish(&key);
            }
            notif::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                self.workspace.documents.remove(uri.as_str());
                self.send_diagnostics(uri, Vec::new(), None);
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let p: lsp_types::DidChangeWatchedFilesParams = serde_json::from_value(n.params)?;
                let config = p.changes.iter().any(|c| {
                    workspace::uri_to_path(c.uri.as_str())
                        .is_some_and(|p| workspace::is_config_file(&p))
                });
                if config {
                    self.config_changed();
                }
            }
            notif::DidChangeConfiguration::METHOD => self.config_changed(),
            _ => {}
        }
        Ok(())
    }

    /// Takes a `didChange`'s full text; returns the document's URI.
    fn store_change(&mut self, n: Notification) -> Option<String> {
        let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params).ok()?;
        let key = p.text_document.uri.as_str().to_string();
        let doc = self.workspace.documents.get_mut(&key)?;
        // Full sync: the last change holds the whole text.
        if let Some(change) = p.content_changes.into_iter().last() {
            doc.text = change.text;
        }
        doc.version = p.text_document.version;
        Some(key)
    }

    /// Checks an open document and publishes what `fmx check` finds in it.
    fn publish(&mut self, key: &str) {
        let applied = self.workspace.applied(key);
        let Some(doc) = self.workspace.documents.get(key) else {
            return;
        };
        // Other documents (an open fmx.toml, say) get nothing from here: their
        // diagnostics, if any, are the configuration's.
        if self.workspace.is_post(key, &applied.config)
            && let Ok(uri) = key.parse::<Uri>()
        {
            let diagnostics = features::diagnostics(&doc.text, &applied, self.encoding);
            self.send_diagnostics(uri, diagnostics, Some(doc.version));
        }
        self.publish_config_errors();
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<LspDiagnostic>, version: Option<i32>) {
        self.notify::<notif::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    /// One diagnostic on each broken configuration file; an empty list for a fixed one.
    fn publish_config_errors(&mut self) {
        for (path, error) in self.workspace.config_errors() {
            let key = workspace::path_to_uri(&path);
            let Ok(uri) = key.parse::<Uri>() else {
                continue;
            };
            match error {
                Some(e) => {
                    self.published_configs.insert(key);
                    let d = config_diagnostic(&e, &path, self.encoding);
                    self.send_diagnostics(uri, vec![d], None);
                }
                None if self.published_configs.remove(&key) => {
                    self.send_diagnostics(uri, Vec::new(), None);
                }
                None => {}
            }
        }
    }

    /// A configuration file changed: load again, re-check every open document.
    fn config_changed(&mut self) {
        self.workspace.forget_configs();
        let stale: Vec<String> = self.published_configs.iter().cloned().collect();
        let keys: Vec<String> = self.workspace.documents.keys().cloned().collect();
        for key in &keys {
            self.publish(key);
        }
        // A broken file that is no longer loaded (moved, deleted) loses its diagnostic.
        for key in stale {
            let loaded = self
                .workspace
                .config_errors()
                .iter()
                .any(|(p, _)| workspace::path_to_uri(p) == key);
            if !loaded
                && self.published_configs.remove(&key)
                && let Ok(uri) = key.parse::<Uri>()
            {
                self.send_diagnostics(uri, Vec::new(), None);
            }
        }
    }

    /// Asks the client to report changes to configuration files, when it can.
    fn register_watchers(&mut self) {
        if !self.watch_registration {
            return;
        }
        let watchers: Vec<Value> = crate::config::FILE_NAMES
            .iter()
            .map(|name| serde_json::json!({ "globPattern": format!("**/{name}") }))
            .collect();
        let params = serde_json::json!({ "registrations": [{
            "id": "fmx-config-watch",
            "method": notif::DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": watchers },
        }]});
        self.next_id += 1;
        let r = Request::new(
            RequestId::from(format!("fmx-{}", self.next_id)),
            req::RegisterCapability::METHOD.to_string(),
            params,
        );
        let _ = self.connection.sender.send(r.into());
    }
}

/// The request a `$/cancelRequest` in the queue cancels.
fn cancel_id(msg: &Message) -> Option<RequestId> {
    let Message::Notification(n) = msg else {
        return None;
    };
    if n.method != notif::Cancel::METHOD {
        return None;
    }
    let p: lsp_types::CancelParams = serde_json::from_value(n.params.clone()).ok()?;
    Some(match p.id {
        lsp_types::NumberOrString::Number(n) => RequestId::from(n),
        lsp_types::NumberOrString::String(s) => RequestId::from(s),
    })
}

/// Whether a `didChange` is followed in the queue by another change to the same document:
/// its text is kept, its check skipped.
fn superseded(n: &Notification, queue: &VecDeque<Message>) -> bool {
    if n.method != notif::DidChangeTextDocument::METHOD {
        return false;
    }
    let uri = |n: &Notification| {
        n.params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let Some(mine) = uri(n) else {
        return false;
    };
    queue.iter().any(|m| {
        matches!(m, Message::Notification(later)
            if later.method == notif::DidChangeTextDocument::METHOD && uri(later).as_deref() == Some(&mine))
    })
}

/// A broken configuration as one diagnostic at its position (fmx's character column, in
/// the session's encoding).
fn config_diagnostic(
    e: &crate::config::ConfigError,
    path: &std::path::Path,
    encoding: Encoding,
) -> LspDiagnostic {
    let (pos, message) = match e {
        crate::config::ConfigError::Invalid {
            line, col, message, ..
        } => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let map = position::LineMap::new(&text, encoding);
            (map.fmx_position(*line, *col), message.clone())
        }
        other => (Position::new(0, 0), other.to_string()),
    };
    LspDiagnostic {
        range: Range::new(pos, pos),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(lsp_types::NumberOrString::String("config".into())),
        source: Some("fmx".into()),
        message,
        ..LspDiagnostic::default()
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
mod tests;
