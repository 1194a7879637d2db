use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use crate::state::AppState;

/// `GET /api/health`: 200 when the database answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let database = backend::db::ping(&state.ctx.db).await;
    let status = if database.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    if let Err(err) = &database {
        tracing::error!(error = %err, "health check: database unreachable");
    }
    (
        status,
        Json(json!({
            "status": if database.is_ok() { "ok" } else { "unavailable" },
            "database": {
                "status": if database.is_ok() { "ok" } else { "unreachable" },
                "backend": backend::db::backend_name(&state.ctx.db),
            },
            "version": env!("CARGO_PKG_VERSION"),
        })),
    )
}
