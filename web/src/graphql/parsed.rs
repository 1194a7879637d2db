//! Queries already parsed, by their text. Clients send the same few queries again and again
//! (each page of an app, each search with other variables), and parsing one cost more than
//! validating it (4% of the server's time in a loaded search). A parsed query depends only on
//! its text, so nodes need not share this, and the limits on depth and directives are still
//! checked on every request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// Longer queries are parsed each time: apps' queries are a few KB at most.
const MAX_QUERY_BYTES: usize = 8 * 1024;
/// The text of the queries kept, in all. A parsed query takes up to ~100 times its text (a
/// selection of one-letter fields), so whatever queries are sent, what is kept stays under
/// ~7 MB; an app's queries usually fit many times.
const MAX_KEPT_BYTES: usize = 64 * 1024;
/// Distinct queries kept.
const MAX_QUERIES: usize = 256;

#[derive(Clone, Default)]
pub struct ParsedQueries {
    kept: Arc<Mutex<Kept>>,
}

#[derive(Default)]
struct Kept {
    by_text: HashMap<String, ExecutableDocument>,
    text_bytes: usize,
}

impl ParsedQueries {
    /// Gives `request` its parsed query, from the ones kept or parsed now and kept. A query
    /// that does not parse is left to the schema, which answers with the parser's error.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if request.query.len() > MAX_QUERY_BYTES {
            return;
        }
        let known = self
            .kept
            .lock()
            .ok()
            .and_then(|kept| kept.by_text.get(&request.query).cloned());
        if let Some(document) = known {
            request.set_parsed_query(document);
            return;
        }
        let Ok(document) = request.parsed_query().cloned() else {
            return;
        };
        if let Ok(mut kept) = self.kept.lock() {
            // When one more would not fit, all are forgotten: the ones in use come back at
            // their next request, and queries that are each sent once cannot keep others out.
            if kept.by_text.len() >= MAX_QUERIES
                || kept.text_bytes + request.query.len() > MAX_KEPT_BYTES
            {
                kept.by_text.clear();
                kept.text_bytes = 0;
            }
            kept.text_bytes += request.query.len();
            kept.by_text.insert(request.query.clone(), document);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(queries: &ParsedQueries) -> Vec<String> {
        let kept = queries.kept.lock().unwrap();
        let mut texts: Vec<String> = kept.by_text.keys().cloned().collect();
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

    #[test]
    fn queries_whose_text_would_pass_the_budget_forget_the_others() {
        let queries = ParsedQueries::default();
        let query = |n: usize| format!("{{ a{n} }} # {}", "x".repeat(MAX_QUERY_BYTES - 100));
        let fit = MAX_KEPT_BYTES / query(0).len();
        for n in 0..fit {
            queries.prepare(&mut async_graphql::Request::new(query(n)));
        }
        assert_eq!(kept(&queries).len(), fit);
        queries.prepare(&mut async_graphql::Request::new(query(fit)));
        assert_eq!(kept(&queries), vec![query(fit)]);
    }
}
