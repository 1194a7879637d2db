//! Queries already parsed, by their text. Clients send the same few queries again and again
//! (each page of an app, each search with other variables), and parsing one cost more than
//! validating it (4% of the server's time in a loaded search). A parsed query depends only on
//! its text, so nodes need not share this, and the limits on depth and directives are still
//! checked on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// Longer queries are parsed each time: apps' queries are a few KB at most.
const MAX_QUERY_BYTES: usize = 16 * 1024;
/// Distinct queries kept. When one more comes, all are forgotten: the ones in use come back
/// at their next request, and queries that are each sent once cannot keep others out.
const MAX_QUERIES: usize = 256;

#[derive(Clone, Default)]
pub struct ParsedQueries {
    by_text: Arc<Mutex<HashMap<String, ExecutableDocument>>>,
}

impl ParsedQueries {
    /// Gives `request` its parsed query, from the ones kept or parsed now and kept. A query
    /// that does not parse is left to the schema, which answers with the parser's error.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if request.query.len() > MAX_QUERY_BYTES {
            return;
        }
        let kept = self
            .by_text
            .lock()
            .ok()
            .and_then(|kept| kept.get(&request.query).cloned());
        if let Some(document) = kept {
            request.set_parsed_query(document);
            return;
        }
        let Ok(document) = request.parsed_query().cloned() else {
            return;
        };
        if let Ok(mut kept) = self.by_text.lock() {
            if kept.len() >= MAX_QUERIES {
                kept.clear();
            }
            kept.insert(request.query.clone(), document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(queries: &ParsedQueries) -> Vec<String> {
        let kept = queries.by_text.lock().unwrap();
        let mut texts: Vec<String> = kept.keys().cloned().collect();
        texts.sort();
        texts
    }

    #[test]
    fn a_query_sent_again_gets_the_document_parsed_the_first_time() {
        let queries = ParsedQueries::default();
        let text = "query($term: String) { searchEvents(term: $term) { total } }";
        let mut first = async_graphql::Request::new(text);
        queries.prepare(&mut first);
        let mut again = async_graphql::Request::new(text);
        queries.prepare(&mut again);
        assert_eq!(kept(&queries), vec![text.to_owned()]);
        let parsed_first = format!("{:?}", first.parsed_query().unwrap());
        assert_eq!(format!("{:?}", again.parsed_query().unwrap()), parsed_first);
    }

    #[test]
    fn a_query_that_does_not_parse_is_not_kept() {
        let queries = ParsedQueries::default();
        let mut request = async_graphql::Request::new("{ config { ");
        queries.prepare(&mut request);
        assert!(kept(&queries).is_empty());
        assert!(request.parsed_query().is_err());
    }

    #[test]
    fn a_query_longer_than_apps_send_is_not_kept() {
        let queries = ParsedQueries::default();
        let text = format!("{{ config {{ name }} }} # {}", "x".repeat(MAX_QUERY_BYTES));
        queries.prepare(&mut async_graphql::Request::new(text));
        assert!(kept(&queries).is_empty());
    }

    #[test]
    fn one_query_past_the_limit_forgets_the_others_and_is_kept() {
        let queries = ParsedQueries::default();
        for n in 0..MAX_QUERIES {
            queries.prepare(&mut async_graphql::Request::new(format!("{{ a{n} }}")));
        }
        assert_eq!(kept(&queries).len(), MAX_QUERIES);
        queries.prepare(&mut async_graphql::Request::new("{ config { name } }"));
        assert_eq!(kept(&queries), vec!["{ config { name } }".to_owned()]);
    }
}
