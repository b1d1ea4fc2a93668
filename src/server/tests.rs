//! The handlers through an in-memory connection. Every message is queued before the server
//! starts, so what it sees waiting (a cancellation, a newer change) is deterministic.

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

use super::{Ended, serve};

fn request(id: i32, method: &str, params: Value) -> Message {
    Request::new(RequestId::from(id), method.to_string(), params).into()
}

fn notification(method: &str, params: Value) -> Message {
    Notification::new(method.to_string(), params).into()
}

/// Runs a session of `messages` (after initialize/initialized) and returns how it ended and
/// everything the server sent after its initialize response.
fn session(messages: Vec<Message>) -> (Ended, Vec<Message>) {
    let (server, client) = Connection::memory();
    client
        .sender
        .send(request(1, "initialize", json!({ "capabilities": {} })))
        .unwrap();
    client
        .sender
        .send(notification("initialized", json!({})))
        .unwrap();
    for m in messages {
        client.sender.send(m).unwrap();
    }
    let ended = serve(&server).expect("the session runs");
    drop(server);
    let mut sent: Vec<Message> = client.receiver.try_iter().collect();
    sent.remove(0);
    (ended, sent)
}

fn responses(sent: &[Message]) -> Vec<&Response> {
    sent.iter()
        .filter_map(|m| match m {
            Message::Response(r) => Some(r),
            _ => None,
        })
        .collect()
}

fn error_code(r: &Response) -> Option<i32> {
    r.response_result.as_ref().err().map(|e| e.code)
}

fn exit() -> Message {
    notification("exit", Value::Null)
}

#[test]
fn exit_after_shutdown_is_clean_and_without_is_not() {
    let (ended, sent) = session(vec![request(2, "shutdown", Value::Null), exit()]);
    assert_eq!(ended, Ended::Clean);
    assert_eq!(
        responses(&sent)[0].response_result.as_ref().ok(),
        Some(&Value::Null)
    );
    let (ended, _) = session(vec![exit()]);
    assert_eq!(ended, Ended::ExitWithoutShutdown);
}

#[test]
fn requests_after_shutdown_are_invalid() {
    let (_, sent) = session(vec![
        request(2, "shutdown", Value::Null),
        request(3, "textDocument/hover", json!({})),
        exit(),
    ]);
    let code = error_code(responses(&sent)[1]);
    assert_eq!(code, Some(ErrorCode::InvalidRequest as i32));
}

#[test]
fn unknown_methods_bad_params_and_panics_are_error_responses() {
    let (ended, sent) = session(vec![
        request(2, "fmx/unknown", json!({})),
        request(3, "textDocument/hover", json!({ "bogus": true })),
        request(4, "fmx/test-panic", json!({})),
        request(5, "shutdown", Value::Null),
        exit(),
    ]);
    let r = responses(&sent);
    assert_eq!(error_code(r[0]), Some(ErrorCode::MethodNotFound as i32));
    assert_eq!(error_code(r[1]), Some(ErrorCode::InvalidParams as i32));
    assert_eq!(error_code(r[2]), Some(ErrorCode::InternalError as i32));
    assert!(
        r[2].response_result
            .as_ref()
            .unwrap_err()
            .message
            .contains("panicked on purpose")
    );
    // The server went on after the panic.
    assert_eq!(r[3].response_result.as_ref().ok(), Some(&Value::Null));
    assert_eq!(ended, Ended::Clean);
}

#[test]
fn a_cancelled_request_is_answered_as_cancelled() {
    let (_, sent) = session(vec![
        request(2, "fmx/unknown", json!({})),
        notification("$/cancelRequest", json!({ "id": 2 })),
        exit(),
    ]);
    let code = error_code(responses(&sent)[0]);
    assert_eq!(code, Some(ErrorCode::RequestCanceled as i32));
}

#[test]
fn only_the_newest_of_queued_changes_is_checked() {
    let uri = "untitled:a";
    let change = |version: i32, text: &str| {
        notification(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        )
    };
    let (_, sent) = session(vec![
        notification(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1,
                                      "text": "no front matter\n" } }),
        ),
        change(2, "---\ntitle: [\n---\n"),
        change(3, "---\ntitle: x\n---\n"),
        exit(),
    ]);
    let published: Vec<(i64, Vec<String>)> = sent
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => Some((
                n.params["version"].as_i64().unwrap(),
                n.params["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["code"].as_str().unwrap().to_string())
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    // The defaults require `date`: the last text is missing it, and the middle one was
    // never checked.
    assert_eq!(
        published,
        vec![
            (1, vec!["no-front-matter".to_string()]),
            (3, vec!["missing-field".to_string()])
        ]
    );
}
