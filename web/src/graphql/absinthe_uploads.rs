//! Uploads the way Mobilizon's server (Absinthe's plug) also takes them, and tools written for
//! it send them (calendar-event-engine's `upload_file`): a multipart body whose `query`,
//! `variables` (a JSON string) and `operationName` are plain fields, and whose file part is
//! named by a variable's value (`"file": "uploaded-file"`). Read here into the request
//! async-graphql builds from the GraphQL multipart request spec, which the rest of the API
//! reads (`uploadMedia`, a `MediaInput` with a file).

use std::io::{Seek, Write};

use async_graphql::{BatchRequest, UploadValue};
use axum::body::Bytes;
use serde_json::{Map, Value};

use super::encodings;

/// Why such a body was not read.
pub enum Unread {
    TooLarge,
    Malformed(String),
}

struct FilePart {
    name: String,
    file_name: String,
    content_type: Option<String>,
    bytes: Bytes,
}

/// The request, if `body` is Absinthe's kind of upload; `None` for any other multipart body
/// (the spec's `operations` and `map`), left to async-graphql.
pub async fn read(
    body: &Bytes,
    boundary: &str,
    file_limit: usize,
) -> Result<Option<BatchRequest>, Unread> {
    let whole = body.clone();
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(whole) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Map::new();
    let mut file: Option<FilePart> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|err| Unread::Malformed(err.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if matches!(name.as_str(), "operations" | "map") {
            return Ok(None);
        }
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|err| Unread::Malformed(err.to_string()))?;
        match file_name {
            Some(file_name) => {
                if file.is_some() {
                    return Err(Unread::Malformed("one file per request".to_owned()));
                }
                if bytes.len() > file_limit {
                    return Err(Unread::TooLarge);
                }
                file = Some(FilePart {
                    name,
                    file_name,
                    content_type,
                    bytes,
                });
            }
            None if matches!(name.as_str(), "query" | "variables" | "operationName") => {
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| Unread::Malformed(format!("\"{name}\" is not UTF-8")))?;
                fields.insert(name, Value::String(text));
            }
            None => {}
        }
    }
    if !fields.contains_key("query") {
        return Ok(None);
    }
    let json = serde_json::to_vec(&Value::Object(fields))
        .map_err(|err| Unread::Malformed(err.to_string()))?;
    let mut batch = encodings::from_json(&json).map_err(Unread::Malformed)?;
    if let (BatchRequest::Single(request), Some(file)) = (&mut batch, file) {
        let variables =
            serde_json::to_value(&request.variables).unwrap_or_else(|_| Value::Object(Map::new()));
        let mut paths = Vec::new();
        naming(&variables, &file.name, "variables", &mut paths);
        for path in paths {
            request.set_upload(&path, upload(&file).await?);
        }
    }
    Ok(Some(batch))
}

/// The paths (`variables.picture.media.file`) of the string values equal to `name`.
fn naming(value: &Value, name: &str, at: &str, paths: &mut Vec<String>) {
    match value {
        Value::String(text) if text == name => paths.push(at.to_owned()),
        Value::Object(fields) => {
            for (key, inner) in fields {
                naming(inner, name, &format!("{at}.{key}"), paths);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                naming(inner, name, &format!("{at}.{index}"), paths);
            }
        }
        _ => {}
    }
}

/// The file as async-graphql hands uploads to resolvers: in a temporary file, written off the
/// async threads.
async fn upload(file: &FilePart) -> Result<UploadValue, Unread> {
    let bytes = file.bytes.clone();
    let content = tokio::task::spawn_blocking(move || -> std::io::Result<std::fs::File> {
        let mut content = tempfile::tempfile()?;
        content.write_all(&bytes)?;
        content.rewind()?;
        Ok(content)
    })
    .await
    .map_err(|err| Unread::Malformed(err.to_string()))?
    .map_err(|err| Unread::Malformed(err.to_string()))?;
    Ok(UploadValue {
        filename: file.file_name.clone(),
        content_type: file.content_type.clone(),
        content,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn body(parts: &[(&str, Option<&str>, &str)]) -> Bytes {
        let mut out = String::new();
        for (name, file_name, content) in parts {
            out.push_str("--XX\r\n");
            match file_name {
                Some(file_name) => out.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\r\n"
                )),
                None => out.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                )),
            }
            out.push_str(content);
            out.push_str("\r\n");
        }
        out.push_str("--XX--\r\n");
        Bytes::from(out)
    }

    #[tokio::test]
    async fn a_file_named_by_a_variable_becomes_that_variables_upload() {
        let bytes = body(&[
            (
                "query",
                None,
                "mutation($file: Upload!) { uploadMedia(file: $file, name: \"x\") { id } }",
            ),
            (
                "variables",
                None,
                r#"{"file": "uploaded-file", "media": {"file": "uploaded-file"}}"#,
            ),
            ("uploaded-file", Some("uploaded-file"), "picture bytes"),
        ]);
        let Ok(Some(BatchRequest::Single(request))) = read(&bytes, "XX", 100).await else {
            panic!("read as Absinthe's upload");
        };
        assert_eq!(request.uploads.len(), 2);
        let json = serde_json::to_value(&request.variables).unwrap();
        assert_eq!(json["file"], "#__graphql_file__:0");
        assert_eq!(json["media"]["file"], "#__graphql_file__:1");
    }

    #[tokio::test]
    async fn the_specs_multipart_requests_are_left_to_async_graphql() {
        let bytes = body(&[
            ("operations", None, r#"{"query": "{ config { name } }"}"#),
            ("map", None, "{}"),
        ]);
        assert!(matches!(read(&bytes, "XX", 100).await, Ok(None)));
    }

    #[tokio::test]
    async fn a_file_over_the_limit_or_a_second_one_is_refused() {
        let one = body(&[
            ("query", None, "{ config { name } }"),
            ("f", Some("f"), "0123456789"),
        ]);
        assert!(matches!(read(&one, "XX", 5).await, Err(Unread::TooLarge)));
        let two = body(&[("f", Some("f"), "a"), ("g", Some("g"), "b")]);
        assert!(matches!(
            read(&two, "XX", 5).await,
            Err(Unread::Malformed(_))
        ));
    }
}
