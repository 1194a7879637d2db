//! A small GraphQL client for tests.

use serde_json::{Value, json};

#[derive(Clone)]
pub struct Gql {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl Gql {
    pub fn new(url: String) -> Self {
        Self {
            http: reqwest::Client::new(),
            url,
            token: None,
        }
    }

    /// The same client, sending `Authorization: Bearer token`.
    pub fn with_token(&self, token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// The whole response (data and errors).
    pub async fn send(&self, query: &str, variables: Value) -> Value {
        let mut request = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("GraphQL request");
        response
            .json::<Value>()
            .await
            .expect("GraphQL JSON response")
    }

    /// A GraphQL multipart request (the spec Mobilizon's clients follow for uploads): the
    /// file goes in the variable at `file_path` (such as `variables.file`).
    pub async fn send_file(
        &self,
        query: &str,
        variables: Value,
        file_path: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Value {
        let boundary = format!("convive-test-{}", uuid::Uuid::new_v4().simple());
        let mut body = Vec::new();
        let mut part = |headers: &str, content: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        let operations = json!({ "query": query, "variables": variables }).to_string();
        part(
            "Content-Disposition: form-data; name=\"operations\"",
            operations.as_bytes(),
        );
        let map = json!({ "0": [file_path] }).to_string();
        part(
            "Content-Disposition: form-data; name=\"map\"",
            map.as_bytes(),
        );
        part(
            &format!(
                "Content-Disposition: form-data; name=\"0\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream"
            ),
            bytes,
        );
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request = self
            .http
            .post(&self.url)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("GraphQL multipart request");
        response
            .json::<Value>()
            .await
            .expect("GraphQL JSON response")
    }

    /// The data of a request that must succeed.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let response = self.send(query, variables).await;
        assert!(
            response.get("errors").is_none_or(Value::is_null),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// The first error of a request that must fail.
    pub async fn error(&self, query: &str, variables: Value) -> Value {
        let response = self.send(query, variables).await;
        response["errors"][0].clone()
    }

    /// The `extensions.code` of the first error of a request that must fail.
    pub async fn error_code(&self, query: &str, variables: Value) -> String {
        let error = self.error(query, variables).await;
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {error:#}"))
            .to_owned()
    }
}
