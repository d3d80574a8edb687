//! The one error type at the HTTP boundary of both servers, rendered as RFC 9457 problem
//! details. Database errors cross into it with `?` (`From<DbError>`): a missing row is a
//! 404, an exhausted or unreachable pool a 503, anything else one logged 500. Named cases use
//! [`DbResultExt`]: `.or_not_found(Code::ListingNotFound)?`, `.on_unique("constraint", ...)`.

use krafto_api_types::{Code, FieldProblem, Problem};
use krafto_core::FieldError;
use krafto_db::DbError;
use poem::error::ResponseError;
use poem::http::{HeaderValue, StatusCode, header};
use poem::{IntoResponse, Response};
use poem_openapi::ApiResponse;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, Registry};
use poem_openapi::types::Type;

/// An error answered to an API client.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub detail: String,
    pub errors: Vec<FieldProblem>,
    pub retry_after_secs: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: Code, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
        }
    }

    /// Replaces the machine code (keeping status and detail).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    pub fn bad_request(code: Code, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(code: Code, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, Code::Unauthenticated, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, Code::Forbidden, detail)
    }

    /// A conflict about one field (e.g. a slug already taken).
    pub fn conflict(code: Code, field: &str, detail: impl Into<String>) -> Self {
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
            Code::ValidationFailed,
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
        let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, Code::RateLimited, detail);
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    pub fn unavailable(code: Code, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, detail)
    }

    /// Something unexpected: logged once with its cause, answered without internals.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Code::Internal,
            "an unexpected error occurred; it has been logged",
        )
    }

    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("https://docs.krafto.example/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
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
    (
        413,
        "The request body is larger than this operation accepts.",
    ),
    (
        415,
        "The request body is not in a media type this operation accepts (see `Content-Type`).",
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
        Code::Unauthenticated
    } else if err.is::<poem_openapi::error::ParseRequestPayloadError>()
        || err.is::<poem_openapi::error::ParseParamError>()
        || err.is::<poem_openapi::error::ParseMultipartError>()
    {
        Code::InvalidRequest
    } else if err.is::<poem_openapi::error::ContentTypeError>() {
        Code::UnsupportedMediaType
    } else {
        match status {
            StatusCode::NOT_FOUND => Code::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Code::MethodNotAllowed,
            StatusCode::UNAUTHORIZED => Code::Unauthenticated,
            StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
            s if s.is_server_error() => Code::Internal,
            _ => Code::BadRequest,
        }
    };
    let detail = if status.is_server_error() {
        tracing::error!(error = %err, "unhandled server error");
        "an unexpected error occurred; it has been logged".to_owned()
    } else if code == Code::Unauthenticated {
        "send `Authorization: Bearer <token>`; sign in to get one".to_owned()
    } else {
        err.to_string()
    };
    ApiError::new(status, code, detail).as_response()
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::from(&e)
    }
}

impl From<&DbError> for ApiError {
    /// An exhausted or unreachable pool or a statement past its timeout is a 503 (retry
    /// later), a missing row a 404, anything else a logged 500.
    fn from(e: &DbError) -> Self {
        match e {
            DbError::Unavailable(_) => ApiError::unavailable(
                Code::DatabaseUnavailable,
                "the database is busy or unreachable; retry in a moment",
            ),
            _ if e.is_not_found() => ApiError::not_found(Code::NotFound, "no such resource"),
            _ if e.is_timeout() => ApiError::unavailable(
                Code::DatabaseUnavailable,
                "the database took too long to answer; retry in a moment",
            ),
            _ => ApiError::internal(e),
        }
    }
}

/// Names the database outcomes a use case expects, so the rest still crosses with `?`.
pub trait DbResultExt<T> {
    /// A missing row is a 404 with `code` (and a detail naming what is missing).
    fn or_not_found(self, code: Code) -> ApiResult<T>;
    /// A unique violation of `constraint` becomes `err()`.
    fn on_unique(self, constraint: &str, err: impl FnOnce() -> ApiError) -> ApiResult<T>;
    /// Any unique violation becomes `err()`.
    fn on_conflict(self, err: impl FnOnce() -> ApiError) -> ApiResult<T>;
}

impl<T> DbResultExt<T> for Result<T, DbError> {
    fn or_not_found(self, code: Code) -> ApiResult<T> {
        self.map_err(|e| {
            if e.is_not_found() {
                not_found(code)
            } else {
                e.into()
            }
        })
    }

    fn on_unique(self, constraint: &str, err: impl FnOnce() -> ApiError) -> ApiResult<T> {
        self.map_err(|e| match e.unique_violation() {
            Some(c) if c == constraint => err(),
            _ => e.into(),
        })
    }

    fn on_conflict(self, err: impl FnOnce() -> ApiError) -> ApiResult<T> {
        self.map_err(|e| match e.unique_violation() {
            Some(_) => err(),
            None => e.into(),
        })
    }
}

/// `None` is a 404 with `code`.
pub trait OptionExt<T> {
    fn or_not_found(self, code: Code) -> ApiResult<T>;
}

impl<T> OptionExt<T> for Option<T> {
    fn or_not_found(self, code: Code) -> ApiResult<T> {
        self.ok_or_else(|| not_found(code))
    }
}

fn not_found(code: Code) -> ApiError {
    let what = code
        .as_str()
        .strip_suffix("_not_found")
        .map(|w| w.replace('_', " "));
    let detail = match what {
        Some(w) => format!("no such {w} in this marketplace"),
        None => "no such resource".to_owned(),
    };
    ApiError::not_found(code, detail)
}
