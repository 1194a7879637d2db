//! The request shapes Mobilizon's API takes (Absinthe's plug) besides GraphQL's usual JSON:
//! a form body (`application/x-www-form-urlencoded`), a body that is the query itself
//! (`application/graphql`), `variables` sent as a JSON string, and an empty `operationName`
//! meaning none. Clients written for Mobilizon send each of these.

use std::collections::BTreeMap;

use async_graphql::{BatchRequest, BatchResponse, Response, ServerError};
use serde::Serialize;
use serde_json::{Map, Value};

/// A JSON body: one request or a batch (an array), tidied as Mobilizon reads them.
pub fn from_json(bytes: &[u8]) -> Result<BatchRequest, String> {
    let mut value: Value = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
    match &mut value {
        Value::Array(requests) => {
            for request in requests {
                tidy(request)?;
            }
        }
        request => tidy(request)?,
    }
    serde_json::from_value(value).map_err(|err| err.to_string())
}

/// A form body: `query`, `variables` (a JSON string) and `operationName` fields.
pub fn from_form(bytes: &[u8]) -> Result<BatchRequest, String> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(bytes).map_err(|err| err.to_string())?;
    let mut request = Map::new();
    for (name, value) in fields {
        if matches!(name.as_str(), "query" | "variables" | "operationName") {
            request.insert(name, Value::String(value));
        }
    }
    let mut request = Value::Object(request);
    tidy(&mut request)?;
    serde_json::from_value(request).map_err(|err| err.to_string())
}

/// An `application/graphql` body: the query, with neither variables nor operation name.
pub fn from_query_text(bytes: &[u8]) -> Result<BatchRequest, String> {
    let query = std::str::from_utf8(bytes).map_err(|_| "the query is not UTF-8".to_owned())?;
    Ok(BatchRequest::Single(async_graphql::Request::new(query)))
}

/// Leaves a request as async-graphql reads it: `variables` given as a JSON string parsed (an
/// empty one is none), and an empty or null `operationName` taken out.
fn tidy(request: &mut Value) -> Result<(), String> {
    let Value::Object(fields) = request else {
        return Err("a request is a JSON object".to_owned());
    };
    if let Some(Value::String(text)) = fields.get("variables") {
        if text.trim().is_empty() {
            fields.remove("variables");
        } else {
            let parsed: Value = serde_json::from_str(text)
                .map_err(|err| format!("\"variables\" is not a JSON object: {err}"))?;
            if !matches!(parsed, Value::Object(_) | Value::Null) {
                return Err("\"variables\" is not a JSON object".to_owned());
            }
            fields.insert("variables".to_owned(), parsed);
        }
    }
    if fields.get("variables").is_some_and(Value::is_null) {
        fields.remove("variables");
    }
    let no_name = match fields.get("operationName") {
        Some(Value::String(name)) => name.trim().is_empty(),
        Some(Value::Null) => true,
        _ => false,
    };
    if no_name {
        fields.remove("operationName");
    }
    Ok(())
}

/// As [`tidy`], for the requests of a multipart body, which async-graphql parses itself: an
/// empty operation name means none.
pub fn tidy_names(batch: &mut BatchRequest) {
    for request in batch.iter_mut() {
        if request
            .operation_name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            request.operation_name = None;
        }
    }
}

/// A response as async-graphql writes it, with each error's code also at the top level of
/// the error (`errors[].code`), where Mobilizon puts it; ours stays in `extensions.code`.
#[derive(Serialize)]
pub struct WithCodes<'a> {
    data: &'a async_graphql::Value,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorWithCode<'a>>,
}

#[derive(Serialize)]
struct ErrorWithCode<'a> {
    #[serde(flatten)]
    error: &'a ServerError,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a async_graphql::Value>,
}

impl<'a> From<&'a Response> for WithCodes<'a> {
    fn from(response: &'a Response) -> Self {
        Self {
            data: &response.data,
            extensions: &response.extensions,
            errors: response
                .errors
                .iter()
                .map(|error| ErrorWithCode {
                    error,
                    code: error
                        .extensions
                        .as_ref()
                        .and_then(|extensions| extensions.get("code")),
                })
                .collect(),
        }
    }
}

/// A whole answer, one response or a batch's, with the codes at the top level too.
pub fn to_json(body: &BatchResponse) -> serde_json::Result<Vec<u8>> {
    match body {
        BatchResponse::Single(response) => serde_json::to_vec(&WithCodes::from(response)),
        BatchResponse::Batch(responses) => {
            serde_json::to_vec(&responses.iter().map(WithCodes::from).collect::<Vec<_>>())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(batch: BatchRequest) -> async_graphql::Request {
        match batch {
            BatchRequest::Single(request) => request,
            BatchRequest::Batch(_) => panic!("a batch"),
        }
    }

    #[test]
    fn variables_given_as_a_json_string_are_parsed() {
        let request = single(
            from_json(br#"{"query":"{a}","variables":"{\"uuid\":\"x\"}","operationName":""}"#)
                .unwrap(),
        );
        assert_eq!(
            request.variables.clone().into_value().into_json().unwrap()["uuid"],
            "x"
        );
        assert_eq!(request.operation_name, None);
    }

    #[test]
    fn a_form_body_is_read_like_json() {
        let request = single(
            from_form(
                b"query=%7B+config+%7B+name+%7D+%7D&variables=%7B%22a%22%3A1%7D&operationName=",
            )
            .unwrap(),
        );
        assert_eq!(request.query, "{ config { name } }");
        assert_eq!(
            request.variables.clone().into_value().into_json().unwrap()["a"],
            1
        );
        assert_eq!(request.operation_name, None);
    }

    #[test]
    fn variables_that_are_not_an_object_are_refused_with_a_reason() {
        let err = from_json(br#"{"query":"{a}","variables":"[1]"}"#).unwrap_err();
        assert!(err.contains("variables"), "{err}");
        assert!(from_form(b"query=%7Ba%7D&variables=%7Bnot+json").is_err());
    }

    #[test]
    fn errors_get_their_code_at_the_top_level_too() {
        let response = super::super::errors::error_response("no", "unauthenticated");
        let json: Value =
            serde_json::from_slice(&to_json(&BatchResponse::Single(response)).unwrap()).unwrap();
        assert_eq!(json["errors"][0]["code"], "unauthenticated");
        assert_eq!(json["errors"][0]["extensions"]["code"], "unauthenticated");
        assert_eq!(json["errors"][0]["message"], "no");
    }
}
