//! One error type for both servers, rendered as RFC 9457 problem details.

use krafto_core::FieldError;
use poem::error::ResponseError;
use poem::http::{HeaderValue, StatusCode, header};
use poem::{IntoResponse, Response};
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;
use poem_openapi::{ApiResponse, Object};
use std::borrow::Cow;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Object, serde::Serialize)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `branding.primary_color`.
    pub field: String,
    pub message: String,
}

/// The body of every error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Object, serde::Serialize)]
pub struct Problem {
    /// A URI naming the problem type.
    #[oai(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Human explanation of this occurrence, including what to do next where possible.
    pub detail: String,
    /// Stable machine-readable code, e.g. `unknown_tenant`, `validation_failed`.
    pub code: String,
    /// The first offending field, when the problem is about input.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every offending field, for validation failures.
    #[oai(skip_serializing_if_is_empty)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// An error answered to an API client.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub detail: String,
    pub errors: Vec<FieldProblem>,
    pub retry_after_secs: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// Replaces the machine code (keeping status and detail).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code.into();
        self
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// A conflict about one field (e.g. a slug already taken).
    pub fn conflict(code: &'static str, field: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let mut e = Self::new(StatusCode::CONFLICT, code, detail.clone());
        e.errors.push(FieldProblem {
            field: field.to_owned(),
            message: detail,
        });
        e
    }

    /// 422 naming every invalid field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            detail,
        );
        e.errors = errors
            .into_iter()
            .map(|f| FieldProblem {
                field: f.field,
                message: f.message,
            })
            .collect();
        e
    }

    pub fn field(error: FieldError) -> Self {
        Self::validation(vec![error])
    }

    pub fn rate_limited(detail: impl Into<String>, retry_after_secs: u64) -> Self {
        let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", detail);
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    pub fn unavailable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, detail)
    }

    /// Something unexpected: logged once with its cause, answered without internals.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an unexpected error occurred; it has been logged",
        )
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("https://docs.krafto.example/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code.to_string(),
            field: self.errors.first().map(|e| e.field.clone()),
            errors: self.errors.clone(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status(&self) -> StatusCode {
        self.status
    }

    fn as_response(&self) -> Response {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut resp = Response::builder()
            .status(self.status)
            .header(header::CONTENT_TYPE, "application/problem+json")
            .body(body);
        if let Some(secs) = self.retry_after_secs {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.as_response()
    }
}

const ERROR_STATUSES: &[(u16, &str)] = &[
    (400, "The request is malformed (body, parameter or header)."),
    (
        401,
        "Missing, invalid or expired credentials, or a token of another marketplace.",
    ),
    (
        403,
        "Authenticated but not allowed, or the marketplace is suspended.",
    ),
    (404, "No such resource, or an unknown host."),
    (
        409,
        "Conflicts with existing state (e.g. a slug or host already taken).",
    ),
    (422, "Input failed validation; `errors` names each field."),
    (429, "Too many requests; see `Retry-After`."),
    (500, "Unexpected error."),
    (
        503,
        "A dependency (database, mail) is unavailable; retry later.",
    ),
];

impl ApiResponse for ApiError {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: ERROR_STATUSES
                .iter()
                .map(|(status, description)| MetaResponse {
                    description,
                    status: Some(*status),
                    status_range: None,
                    content: vec![MetaMediaType {
                        content_type: "application/problem+json",
                        schema: Problem::schema_ref(),
                    }],
                    headers: vec![],
                })
                .collect(),
        }
    }

    fn register(registry: &mut Registry) {
        Problem::register(registry);
    }
}

/// Renders any error that reached the edge of a server as a problem: ours keep their code;
/// poem's and poem-openapi's (bad JSON, missing bearer, unknown route) get a stable one.
pub fn problem_response(err: &poem::Error) -> Response {
    if let Some(api) = err.downcast_ref::<ApiError>() {
        return api.as_response();
    }
    let status = err.status();
    let code = if err.is::<poem_openapi::error::AuthorizationError>() {
        "unauthenticated"
    } else if err.is::<poem_openapi::error::ParseRequestPayloadError>()
        || err.is::<poem_openapi::error::ParseParamError>()
        || err.is::<poem_openapi::error::ParseMultipartError>()
    {
        "invalid_request"
    } else if err.is::<poem_openapi::error::ContentTypeError>() {
        "unsupported_media_type"
    } else {
        match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            StatusCode::UNAUTHORIZED => "unauthenticated",
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            s if s.is_server_error() => "internal",
            _ => "bad_request",
        }
    };
    let detail = if status.is_server_error() {
        tracing::error!(error = %err, "unhandled server error");
        "an unexpected error occurred; it has been logged".to_owned()
    } else if code == "unauthenticated" {
        "send `Authorization: Bearer <token>`; sign in to get one".to_owned()
    } else {
        err.to_string()
    };
    ApiError::new(status, code, detail).as_response()
}
