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
