//! What a GraphQL request costs, known before the schema sees it.
//!
//! async-graphql computes a query's depth and complexity by walking it with every fragment
//! spread expanded, so a fragment that spreads another twice, 25 levels deep, is 2^25 fields
//! walked before the request is refused as too complex (seconds of CPU and hundreds of MB for
//! a 1 KB query). Here each fragment's size is worked out once and reused wherever it is
//! spread, so any document is measured in time proportional to its text; a request whose
//! expanded size or depth passes the limits never reaches the schema. The parser recurses once
//! per level of nesting (and answers a query past its stack's limit with the whole query
//! quoted back), so the text's nesting is bounded before it is parsed.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// What a document would be once its fragments are expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    /// Fields selected, counted once per place they are selected (async-graphql's complexity
    /// when no field declares its own).
    pub fields: u64,
    /// The deepest nesting of fields.
    pub depth: u64,
}

impl Cost {
    fn add(self, other: Cost) -> Cost {
        Cost {
            fields: self.fields.saturating_add(other.fields),
            depth: self.depth.max(other.depth),
        }
    }
}

/// Why a document is refused before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooDeep {
        limit: u64,
    },
    TooComplex {
        limit: u64,
    },
    /// A fragment that spreads itself, directly or through others.
    FragmentCycle(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooDeep { .. } => "query_too_deep",
            Refusal::TooComplex { .. } => "query_too_complex",
            Refusal::FragmentCycle(_) => "invalid_query",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::TooDeep { limit } => {
                format!("Query is nested too deep: at most {limit} levels of fields")
            }
            Refusal::TooComplex { limit } => format!(
                "Query is too complex: at most {limit} fields once fragments are expanded \
                 (for all the operations of a request together)"
            ),
            Refusal::FragmentCycle(name) => {
                format!("Cannot spread fragment \"{name}\" within itself")
            }
        }
    }
}

/// The limits a request is held to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_depth: u64,
    pub max_fields: u64,
}

/// Whether the nesting of `{`, `(` and `[` in a query's text, outside strings and comments,
/// stays within `limit` levels.
pub fn nesting_within(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    // An escaped triple quote does not end a block string.
                    if bytes[i..].starts_with(b"\\\"\"\"") {
                        i += 4;
                    } else {
                        i += 1;
                    }
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth > limit {
                    return false;
                }
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    true
}

/// The expanded size of every operation of `document` together, each fragment measured once.
pub fn measure(document: &ExecutableDocument) -> Result<Cost, Refusal> {
    let mut measured = Measured {
        document,
        fragments: HashMap::new(),
    };
    let mut total = Cost::default();
    for (_, operation) in document.operations.iter() {
        total = total.add(measured.selection_set(&operation.node.selection_set.node)?);
    }
    Ok(total)
}

/// What the documents of one request (a batch counts as one) have cost so far.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    limits: Limits,
    spent: Cost,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            spent: Cost::default(),
        }
    }

    /// Measures one more document of the request and adds it to what was spent.
    pub fn spend(&mut self, document: &ExecutableDocument) -> Result<Cost, Refusal> {
        self.spent = self.spent.add(measure(document)?);
        if self.spent.depth > self.limits.max_depth {
            return Err(Refusal::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        if self.spent.fields > self.limits.max_fields {
            return Err(Refusal::TooComplex {
                limit: self.limits.max_fields,
            });
        }
        Ok(self.spent)
    }
}

enum Fragment {
    /// Being measured: met again, it spreads itself.
    Open,
    Done(Cost),
}

struct Measured<'a> {
    document: &'a ExecutableDocument,
    fragments: HashMap<&'a str, Fragment>,
}

impl<'a> Measured<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet) -> Result<Cost, Refusal> {
        let mut cost = Cost::default();
        for item in &set.items {
            let item_cost = match &item.node {
                Selection::Field(field) => {
                    let inner = self.selection_set(&field.node.selection_set.node)?;
                    Cost {
                        fields: inner.fields.saturating_add(1),
                        depth: inner.depth.saturating_add(1),
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.selection_set(&inline.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())?
                }
            };
            cost = cost.add(item_cost);
        }
        Ok(cost)
    }

    fn fragment(&mut self, name: &'a str) -> Result<Cost, Refusal> {
        match self.fragments.get(name) {
            Some(Fragment::Done(cost)) => return Ok(*cost),
            Some(Fragment::Open) => return Err(Refusal::FragmentCycle(name.to_owned())),
            None => {}
        }
        // An unknown fragment costs nothing here; validation reports it.
        let Some((key, definition)) = self.document.fragments.get_key_value(name) else {
            return Ok(Cost::default());
        };
        self.fragments.insert(key.as_str(), Fragment::Open);
        let cost = self.selection_set(&definition.node.selection_set.node)?;
        self.fragments.insert(key.as_str(), Fragment::Done(cost));
        Ok(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn cost(query: &str) -> Result<Cost, Refusal> {
        measure(&parse_query(query).unwrap())
    }

    /// `{ config { ...F<depth> } }` where each fragment spreads the one below it twice.
    fn doubling(depth: usize) -> String {
        let mut query = format!("{{ config {{ ...F{depth} }} }} fragment F0 on Config {{ name }}");
        for n in 1..=depth {
            query.push_str(&format!(
                " fragment F{n} on Config {{ ...F{} ...F{} }}",
                n - 1,
                n - 1
            ));
        }
        query
    }

    #[test]
    fn fields_are_counted_once_per_place_they_are_selected_and_depth_is_their_nesting() {
        assert_eq!(
            cost("{ config { name description } events { total elements { title } } }"),
            Ok(Cost {
                fields: 7,
                depth: 3
            })
        );
    }

    #[test]
    fn a_fragment_spread_twice_counts_twice_without_being_walked_twice() {
        assert_eq!(
            cost("{ a { ...F } b { ...F } } fragment F on T { x y { z } }"),
            Ok(Cost {
                fields: 8,
                depth: 3
            })
        );
    }

    #[test]
    fn a_fragment_doubled_sixty_times_is_measured_at_once_and_saturates() {
        let started = std::time::Instant::now();
        let measured = cost(&doubling(60)).unwrap();
        assert!(measured.fields >= 1 << 60, "{measured:?}");
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        let mut budget = Budget::new(Limits {
            max_depth: 15,
            max_fields: 1000,
        });
        assert_eq!(
            budget.spend(&parse_query(doubling(25)).unwrap()),
            Err(Refusal::TooComplex { limit: 1000 })
        );
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_refused() {
        assert_eq!(
            cost("{ a { ...A } } fragment A on T { b { ...B } } fragment B on T { ...A }"),
            Err(Refusal::FragmentCycle("A".to_owned()))
        );
    }

    #[test]
    fn the_operations_of_a_request_are_counted_together() {
        let one = parse_query("{ a b c }").unwrap();
        let mut budget = Budget::new(Limits {
            max_depth: 5,
            max_fields: 7,
        });
        assert!(budget.spend(&one).is_ok());
        assert!(budget.spend(&one).is_ok());
        assert_eq!(budget.spend(&one), Err(Refusal::TooComplex { limit: 7 }));
    }

    #[test]
    fn nesting_is_bounded_outside_strings_and_comments_only() {
        assert!(nesting_within("{ a { b { c } } }", 3));
        assert!(!nesting_within("{ a { b { c } } }", 2));
        let deep = format!("{}{}", "{a".repeat(10_000), "}".repeat(10_000));
        assert!(!nesting_within(&deep, 64));
        let quoted = format!(
            "{{ a(s: \"{}\", t: \"\"\"{}\"\"\") }} # {}\n",
            "{".repeat(500),
            "[".repeat(500),
            "(".repeat(500)
        );
        assert!(nesting_within(&quoted, 3));
        assert!(!nesting_within(
            &format!("{{ a(l: {}) }}", "[".repeat(100)),
            64
        ));
    }
}
