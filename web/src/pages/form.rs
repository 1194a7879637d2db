//! Forms posted from our pages. Every one carries the visitor's CSRF token; [`Form`] reads the
//! body once (within the router's body limit), checks that token, and only then hands the
//! fields to the handler, so no handler can forget the check. [`FormWithFiles`] does the same
//! for a form that sends a picture (`multipart/form-data`), bounded like a GraphQL upload.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::t;
use super::{Visitor, error_page};
use crate::state::AppState;

/// The fields of a form whose CSRF token matched the visitor's.
pub struct Form<T>(pub T);

/// The fields and files of a form whose CSRF token matched the visitor's. It may also come
/// url-encoded, without files (a browser sends that when the form has no file input).
pub struct FormWithFiles<T>(pub T, pub Files);

/// The files of a form, by the name of their field; file inputs left empty are not kept.
#[derive(Default)]
pub struct Files(Vec<FormFile>);

pub struct FormFile {
    pub field: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Files {
    /// The file sent in `field`, if one was chosen.
    pub fn take(&mut self, field: &str) -> Option<FormFile> {
        let at = self.0.iter().position(|f| f.field == field)?;
        Some(self.0.swap_remove(at))
    }
}

/// A form that sends nothing but its token: a button.
#[derive(Deserialize)]
pub struct Button {}

/// The field every form of ours sends besides its own.
#[derive(Deserialize)]
struct Token {
    /// A form without one is refused as one with a wrong one.
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (fields, _) = read(request, state, false).await?;
        Ok(Form(fields))
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for FormWithFiles<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (fields, files) = read(request, state, true).await?;
        Ok(FormWithFiles(fields, files))
    }
}

/// Reads a form, with its files when `with_files`, and checks its token: the one way in.
async fn read<T: DeserializeOwned>(
    request: Request,
    state: &AppState,
    with_files: bool,
) -> Result<(T, Files), Response> {
    let (mut parts, body) = request.into_parts();
    let visitor = match Visitor::from_request_parts(&mut parts, state).await {
        Ok(visitor) => visitor,
        Err(never) => match never {},
    };
    let (bytes, files) = if with_files && is_multipart(&parts.headers) {
        match read_multipart(state, &parts.headers, body).await {
            Ok(read) => read,
            Err(refused) => return Err(refused.answer(visitor)),
        }
    } else {
        let RawForm(bytes) = RawForm::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        (bytes.to_vec(), Files::default())
    };
    if let Some(field) = field_with_nul(&bytes) {
        return Err(refuse_nul(visitor, &field));
    }
    // The fields first, as axum's own `Form` read them (token included) before this
    // extractor existed: a malformed form is answered the same way.
    let fields = deserialize::<T>(&bytes).map_err(unprocessable)?;
    let token = deserialize::<Token>(&bytes).map_err(unprocessable)?;
    if !visitor.csrf_matches(&token.csrf) {
        return Err(refuse_csrf(visitor));
    }
    Ok((fields, files))
}

/// All text fields of a form with files, together (the description is the longest).
const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Files a form may send (a group's avatar and banner).
const MAX_FILES: usize = 2;

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Why a form with files was not read.
enum Unread {
    TooLarge { size: u64, limit: u64 },
    Malformed(String),
}

impl Unread {
    fn answer(self, visitor: Visitor) -> Response {
        let (status, err) = match self {
            Unread::TooLarge { size, limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                backend::media::PictureRefusal::TooLarge { size, limit }.into(),
            ),
            Unread::Malformed(why) => (
                StatusCode::BAD_REQUEST,
                backend::Error::invalid("form", format!("the form could not be read: {why}")),
            ),
        };
        let mut response = error_page(visitor, &err);
        *response.status_mut() = status;
        response
    }
}

/// The text fields of a `multipart/form-data` body, url-encoded so that they are read as any
/// other form's, and its files. The files together hold at most the largest upload limit
/// (each purpose's own limit is the media service's to check), the text at most
/// [`MAX_TEXT_BYTES`]; a body declared or found larger is refused before it is all read.
async fn read_multipart(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Vec<u8>, Files), Unread> {
    let file_limit = state.ctx.settings.media.largest_limit_bytes();
    // The parts' own headers and boundaries come on top of their contents.
    let limit = file_limit.saturating_add(2 * MAX_TEXT_BYTES as u64);
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared.filter(|size| *size > limit) {
        return Err(Unread::TooLarge {
            size,
            limit: file_limit,
        });
    }
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| Unread::Malformed("it has no multipart boundary".to_owned()))?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit));
    let mut multipart =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let too_large = |err: multer::Error| match err {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            Unread::TooLarge {
                size: declared.unwrap_or(limit.saturating_add(1)),
                limit: file_limit,
            }
        }
        other => Unread::Malformed(other.to_string()),
    };
    let mut text: Vec<(String, String)> = Vec::new();
    let (mut text_bytes, mut file_bytes) = (0usize, 0u64);
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(too_large)? {
            match file_name {
                Some(_) => {
                    file_bytes = file_bytes.saturating_add(chunk.len() as u64);
                    if file_bytes > file_limit {
                        return Err(Unread::TooLarge {
                            size: declared.unwrap_or(file_bytes),
                            limit: file_limit,
                        });
                    }
                }
                None => {
                    text_bytes = text_bytes.saturating_add(chunk.len());
                    if text_bytes > MAX_TEXT_BYTES {
                        return Err(Unread::Malformed(format!(
                            "its text is longer than {MAX_TEXT_BYTES} bytes"
                        )));
                    }
                }
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            // A file input left empty still sends a part, with no name and no content.
            Some(file_name) if file_name.is_empty() && bytes.is_empty() => {}
            Some(file_name) => {
                if files.len() == MAX_FILES {
                    return Err(Unread::Malformed(format!(
                        "it sends more than {MAX_FILES} files"
                    )));
                }
                files.push(FormFile {
                    field: name,
                    file_name,
                    bytes,
                });
            }
            None => {
                let value = String::from_utf8(bytes)
                    .map_err(|_| Unread::Malformed(format!("the field {name:?} is not UTF-8")))?;
                text.push((name, value));
            }
        }
    }
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(text)
        .finish();
    Ok((encoded.into_bytes(), Files(files)))
}

type ParseError = serde_path_to_error::Error<serde_urlencoded::de::Error>;

fn deserialize<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let deserializer = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(deserializer)
}

/// A form that does not read as its fields, answered as axum's `Form` answers it.
fn unprocessable(err: ParseError) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("Failed to deserialize form body: {err}"),
    )
        .into_response()
}

/// The first field whose name or value holds U+0000, which no database keeps in text
/// (PostgreSQL refuses it).
fn field_with_nul(bytes: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(bytes)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.replace('\0', ""))
}

fn refuse_nul(visitor: Visitor, field: &str) -> Response {
    let err = backend::Error::invalid(field, "text may not contain the character U+0000");
    let mut response = error_page(visitor, &err);
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// The answer to a form whose token is not the visitor's: it was made for another session, or
/// on another site.
fn refuse_csrf(visitor: Visitor) -> Response {
    let message = t(visitor.locale, "error-csrf");
    let mut response = error_page(visitor, &backend::Error::forbidden(message));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_byte_in_a_value_names_its_field() {
        assert_eq!(
            field_with_nul(b"csrf=abc&title=a%00b").as_deref(),
            Some("title")
        );
    }

    #[test]
    fn a_nul_byte_in_a_name_is_found_too() {
        assert_eq!(field_with_nul(b"ti%00tle=x").as_deref(), Some("title"));
    }

    #[test]
    fn a_form_without_nul_bytes_passes() {
        assert_eq!(field_with_nul(b"csrf=abc&title=caf%C3%A9+0"), None);
    }

    #[test]
    fn the_token_is_read_beside_the_forms_own_fields() {
        #[derive(Deserialize)]
        struct Fields {
            title: String,
        }
        let bytes = b"csrf=abc&title=Soupe";
        let fields = deserialize::<Fields>(bytes).ok().map(|f| f.title);
        let token = deserialize::<Token>(bytes).ok().map(|t| t.csrf);
        assert_eq!(fields.as_deref(), Some("Soupe"));
        assert_eq!(token.as_deref(), Some("abc"));
    }

    #[test]
    fn a_form_without_a_token_reads_as_an_empty_one_which_matches_no_visitor() {
        let token = deserialize::<Token>(b"title=Soupe").ok().map(|t| t.csrf);
        assert_eq!(token.as_deref(), Some(""));
    }

    #[test]
    fn a_malformed_form_is_unprocessable_as_before() {
        #[derive(Deserialize)]
        #[allow(dead_code)] // only read to fail
        struct Fields {
            capacity: i64,
        }
        let refused = deserialize::<Fields>(b"capacity=many")
            .err()
            .map(|err| unprocessable(err).status());
        assert_eq!(refused, Some(StatusCode::UNPROCESSABLE_ENTITY));
    }
}
